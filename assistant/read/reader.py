"""The reader: what to quote, by question type, and whether to answer, hedge or decline.

Candidate sentences come from the retrieved chunks and are ordered by the learned
ranker. Then the question type decides the shape of the answer: proposals are listed
as numbered yrkanden with the section that argues them, a why-question gets the
reasons rather than the proposal, a question for a figure, time or name gets a
sentence that carries one. A sentence that leans on the one before it ("Detta …")
is quoted together with it. The outcome comes from the ranker's calibrated
probability and the answer-type check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answer import Answer, Citation, Outcome, passage_citation
from assistant.query.analysis import QueryAnalysis, fold
from assistant.read import messages
from assistant.read.cross_encoder import CrossEncoderReranker
from assistant.read.features import Candidate, candidates, matrix
from assistant.read.ranker import SentenceRanker
from assistant.retrieve.corpus_map import CorpusMap
from assistant.retrieve.retriever import QueryState
from index.scoring import SCORING

# The standard Riksdag formula around a proposal: "… om att <core>, och tillkännager detta för regeringen."
_YRKANDE_CORE = re.compile(
    r"(?:anförs i motionen om (?:att )?)(?P<core>.+?)(?:,? och (?:detta )?tillkännager (?:detta )?|,? och detta "
    r"tillkännager riksdagen)",
    re.DOTALL,
)


@dataclass(frozen=True)
class _Scored:
    candidate: Candidate
    probability: float


def read(
    state: QueryState,
    corpus: CorpusMap,
    ranker: SentenceRanker,
    max_sentences: int,
    already_said: str = "",
    cross_encoder: CrossEncoderReranker | None = None,
) -> Answer:
    """``already_said`` is the text of earlier answers in the conversation; a ``cross_encoder``, when
    configured, is averaged with the ranker's probability."""
    analysis = state.analysis
    found = candidates(state, corpus, already_said)
    if analysis.qtype == "overview" and not analysis.names_topic:
        return _all_proposals(analysis, corpus)
    if not found:
        return decline(analysis, state)
    probabilities = ranker.probabilities(matrix(found))
    if cross_encoder is not None:
        texts = [corpus.sentence_texts[c.sentence] for c in found]
        probabilities = (probabilities + cross_encoder.scores(analysis.text, texts)) / 2
    scored = sorted(
        (_Scored(c, float(p)) for c, p in zip(found, probabilities, strict=True)), key=lambda s: -s.probability
    )
    outcome = _outcome(analysis, scored, corpus, ranker, state.closeness)
    if outcome == "declined":
        return decline(analysis, state)
    if analysis.qtype in ("proposal", "overview") and outcome == "answered":
        proposals = _proposal_chunks(scored, corpus)
        if proposals:
            return _proposals(analysis, corpus, proposals)
    if analysis.qtype == "reason":
        reasons = [s for s in scored if not _proposal_like(s.candidate, corpus)]
        scored = reasons or scored
    limit = max_sentences if outcome == "answered" else 2
    chosen = _distinct(_runners_up(scored, limit), corpus, limit)
    return _quotes(analysis, outcome, chosen, state, corpus)


def decline(analysis: QueryAnalysis, state: QueryState) -> Answer:
    see_also = [passage_citation(i + 1, hit.chunk) for i, hit in enumerate(state.hits[: SCORING.see_also])]
    return Answer(messages.DECLINE[analysis.language], "declined", analysis.language, see_also=see_also)


def clarify(analysis: QueryAnalysis) -> Answer:
    """A follow-up with nothing to follow: ask what is meant instead of guessing."""
    return Answer(messages.CLARIFY[analysis.language], "declined", analysis.language)


def _outcome(
    analysis: QueryAnalysis, scored: list[_Scored], corpus: CorpusMap, ranker: SentenceRanker, closeness: float
) -> Outcome:
    best = scored[0].probability
    # English words are never in the Swedish vocabulary, and a follow-up's topic is in the history:
    # for those the check says nothing.
    checkable = analysis.language == "sv" and not analysis.needs_history
    limits = ranker.thresholds
    unknown = analysis.unknown_share if checkable else 0.0
    if best < limits.decline or closeness < limits.off_topic or unknown >= SCORING.unknown_decline:
        return "declined"
    if unknown >= SCORING.unknown_distant and closeness < limits.distant:
        return "declined"
    if (analysis.shaped or analysis.names) and not any(
        _carries(analysis, s.candidate, corpus) for s in scored[: SCORING.shape_window]
    ):
        return "hedged"
    return "hedged" if best < ranker.thresholds.hedge else "answered"


def _carries(analysis: QueryAnalysis, candidate: Candidate, corpus: CorpusMap) -> bool:
    """Has the typed value asked for, the asked-for year and a name the question restricts to."""
    trait = corpus.sentence_traits[candidate.sentence]
    if analysis.years and not set(analysis.years) <= trait.years:
        return False
    if analysis.names:
        text = fold(corpus.sentence_texts[candidate.sentence].lower())
        found = sum(bool(re.search(rf"\b{re.escape(name)}", text)) for name in analysis.names)
        # One name restricts ("… i Malmö?"); of several, one in the sentence is enough.
        if found == 0:
            return False
    return trait.carries(analysis.qtype) is not False


def _proposal_like(candidate: Candidate, corpus: CorpusMap) -> bool:
    return (
        corpus.chunks[candidate.chunk].kind == "yrkande"
        or candidate.sentence in corpus.restating
        or corpus.sentence_traits[candidate.sentence].proposal_opening
    )


def _runners_up(scored: list[_Scored], limit: int) -> list[_Scored]:
    floor = scored[0].probability * SCORING.runner_up_share
    return [s for s in scored[: limit * 3] if s.probability >= floor]


def _distinct(scored: list[_Scored], corpus: CorpusMap, limit: int) -> list[Candidate]:
    """Up to ``limit`` of the best sentences that say something different from each other."""
    chosen: list[Candidate] = []
    for item in scored:
        if len(chosen) == limit:
            break
        terms = corpus.sentence_terms[item.candidate.sentence]
        if any(_jaccard(terms, corpus.sentence_terms[c.sentence]) > SCORING.duplicate_overlap for c in chosen):
            continue
        chosen.append(item.candidate)
    return chosen


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _quotes(
    analysis: QueryAnalysis, outcome: Outcome, chosen: list[Candidate], state: QueryState, corpus: CorpusMap
) -> Answer:
    language = analysis.language
    quoted = _merge_overlaps([_sentence_citation(0, c, corpus) for c in _in_reading_order(chosen)], corpus)
    sources = _footnote_citations(chosen, state, corpus, first_number=len(quoted) + 1)
    body = " ".join(f"{c.text} [{c.n}]" for c in quoted)
    if sources:
        body += f" ({messages.SOURCE_LABEL[language]}: {' '.join(f'[{c.n}]' for c in sources)})"
    if outcome == "hedged":
        text = f"{messages.HEDGE[language]}\n{body}"
    elif language == "en":
        text = f"{messages.english_lead(analysis.qtype, quoted[0].section)}\n{body}"
    else:
        text = body
    return Answer(text, outcome, language, citations=quoted + sources)


def _merge_overlaps(quotes: list[Citation], corpus: CorpusMap) -> list[Citation]:
    """One quote per stretch of text (a sentence pulled in as context is not quoted twice), numbered 1…n."""
    merged: list[Citation] = []
    for quote in quotes:
        same = next((i for i, m in enumerate(merged) if _overlap(m, quote)), None)
        if same is None:
            merged.append(quote)
            continue
        kept = merged[same]
        start, end = min(kept.start, quote.start), max(kept.end, quote.end)
        text = corpus.documents[kept.doc_id].text[start:end]
        merged[same] = replace(kept, text=text, start=start, end=end)
    return [replace(q, n=n) for n, q in enumerate(merged, start=1)]


def _overlap(a: Citation, b: Citation) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def _in_reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """The best sentence first; runners-up from the same passage keep the motion's order after it."""
    return chosen[:1] + sorted(chosen[1:], key=lambda c: (c.chunk != chosen[0].chunk, c.sentence))


def _sentence_citation(n: int, candidate: Candidate, corpus: CorpusMap) -> Citation:
    """The sentence, extended back to the one it refers to when it opens with "Detta …", "Därför …"."""
    ref = corpus.sentences[candidate.sentence]
    start = ref.span.start
    previous = corpus.previous_in_paragraph(candidate.sentence)
    if corpus.sentence_traits[candidate.sentence].anaphoric_opening and previous is not None:
        start = corpus.sentences[previous].span.start
    chunk = corpus.chunks[candidate.chunk]
    document = corpus.documents[ref.doc_id]
    return Citation(
        n=n,
        id=chunk.id,
        doc_id=ref.doc_id,
        text=document.text[start : ref.span.end],
        section=chunk.section,
        start=start,
        end=ref.span.end,
        yrkande=chunk.yrkande,
        footnote=chunk.footnote,
    )


def _footnote_citations(
    chosen: list[Candidate], state: QueryState, corpus: CorpusMap, first_number: int
) -> list[Citation]:
    """A retrieved footnote that sources a quoted sentence is cited as that sentence's source."""
    retrieved = {hit.position for hit in state.hits if hit.chunk.kind == "footnote"}
    positions = dict.fromkeys(
        p for c in chosen for p in corpus.sentence_footnotes.get(c.sentence, ()) if p in retrieved
    )
    return [passage_citation(first_number + i, corpus.chunks[p]) for i, p in enumerate(positions)]


def _proposal_chunks(scored: list[_Scored], corpus: CorpusMap) -> list[int]:
    """Yrkanden that answer: quoted themselves, or through the body sentence that restates them."""
    restated = {sentence: chunk for chunk, sentence in corpus.restating_sentence.items()}
    found: dict[int, float] = {}
    for item in scored:
        chunk = item.candidate.chunk
        if corpus.chunks[chunk].kind != "yrkande":
            chunk = restated.get(item.candidate.sentence, -1)
        if chunk >= 0:
            found.setdefault(chunk, item.probability)
    if not found:
        return []
    floor = max(found.values()) * SCORING.runner_up_share
    return [chunk for chunk, p in found.items() if p >= floor][: SCORING.max_proposals]


def _proposals(analysis: QueryAnalysis, corpus: CorpusMap, chunks: list[int]) -> Answer:
    chunks = sorted(chunks, key=lambda c: corpus.chunks[c].yrkande or 0)
    lead = messages.PROPOSAL_LEAD[analysis.language]
    return _yrkande_answer(analysis, corpus, chunks, lead)


def _all_proposals(analysis: QueryAnalysis, corpus: CorpusMap) -> Answer:
    chunks = corpus.yrkande_chunks
    lead = messages.OVERVIEW_LEAD[analysis.language].format(total=len(chunks))
    return _yrkande_answer(analysis, corpus, chunks, lead)


def _yrkande_answer(analysis: QueryAnalysis, corpus: CorpusMap, chunks: list[int], lead: str) -> Answer:
    """Numbered yrkanden, each quoted by its core clause, with the section that argues it."""
    language = analysis.language
    lines, citations = [lead], []
    for n, position in enumerate(chunks, start=1):
        chunk = corpus.chunks[position]
        document = corpus.documents[chunk.doc_id]
        start, end = _core_span(chunk.text, chunk.start)
        section = corpus.argued_section.get(position)
        argued = document.section_title(section) if section is not None else None
        text = document.text[start:end]
        citations.append(Citation(n, chunk.id, chunk.doc_id, text, chunk.section, start, end, chunk.yrkande))
        lines.append(messages.yrkande_line(language, chunk.yrkande or 0, text, n, argued))
    return Answer("\n".join(lines), "answered", language, citations=citations)


def _core_span(text: str, offset: int) -> tuple[int, int]:
    """Offsets of the proposal's own words inside the standard formula (the whole text if it differs)."""
    match = _YRKANDE_CORE.search(text)
    if match is None:
        return offset, offset + len(text)
    return offset + match.start("core"), offset + match.end("core")

"""The reader: what to quote, by question type, under the outcome ``outcome.decide`` gives.

Candidate sentences come from the retrieved chunks and are ordered by the learned ranker. Then the
question type decides the shape of the answer: proposals are listed as numbered yrkanden with the
section that argues them, a why-question gets the reasons rather than the proposal, a question for a
figure, time or name gets a sentence that carries one. A reference to the motion's numbering is
answered from its structure (``structural``). A lead line says what the quotes are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from assistant.answer import Answer, Citation, passage_citation
from assistant.query.plan import QueryPlan
from assistant.query.words import WORD, read_words
from assistant.read import messages
from assistant.read.cross_encoder import CrossEncoderReranker
from assistant.read.features import FEATURES, Candidate, candidates, matrix
from assistant.read.outcome import Decision, Detail, Evidence, decide
from assistant.read.quoting import merge_overlaps, sentence_citation, yrkande_answer
from assistant.read.ranker import SentenceRanker
from assistant.read.structural import structural_answer
from assistant.retrieve.corpus_map import CorpusMap
from assistant.retrieve.retriever import QueryState
from index.scoring import SCORING
from index.structure import fold
from index.text.traits import counted_words, only_the_past

# Nouns for people: a figure of people in general ("300 individer") answers a count of any kind of people,
# and a count of people in general ("hur många människor") is answered by a figure of any kind.
PEOPLE = read_words("people.txt")
ANY_PEOPLE = read_words("people_kinds.txt") | PEOPLE
# The shortest head of a counted word that stands for it at the end of a compound ("linj" for "linjer").
_MIN_HEAD = 4
_ALREADY_SAID = FEATURES.index("already_said")
# Who, where and when something is to be: a sentence only about the past does not say ("Vem ska leda …?").
_TO_COME = frozenset({"time", "person", "place"})


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
    plan = state.plan
    scored = _ranked(state, corpus, ranker, already_said, cross_encoder)
    if plan.stays_in_thread:  # "Vad spelar det för roll?": about what was just quoted, and answered there
        scored = [s for s in scored if corpus.place_of(s.candidate.sentence) in plan.thread_places] or scored
    evidence = Evidence(scored[0].probability, state.closeness, _lacking(plan, scored, corpus)) if scored else None
    decision = decide(plan, evidence, ranker.thresholds)
    if decision.reason == "clarify":
        return Answer(messages.CLARIFY[plan.language], "declined", plan.language)
    if plan.reference is not None:
        return structural_answer(plan, plan.reference, corpus)
    if decision.reason == "all_proposals":
        chunks = corpus.yrkande_chunks
        lead = messages.OVERVIEW_LEAD[plan.language].format(total=len(chunks))
        return yrkande_answer(plan.language, corpus, chunks, lead)
    if decision.reason == "thread_proposals":
        return _thread_proposals(plan, decision, scored, state, corpus)
    if decision.outcome == "declined":
        return decline(plan, state, decision)
    if plan.qtype in ("proposal", "overview") and decision.outcome == "answered":
        proposals = _proposal_chunks(scored, corpus)
        body = next((s for s in scored if corpus.chunks[s.candidate.chunk].kind == "body"), None)
        if body is not None:
            argued = corpus.yrkanden_argued_in([corpus.place_of(body.candidate.sentence)])
            proposals = list(dict.fromkeys(argued + proposals))[: SCORING.max_proposals]
        if proposals:
            proposals = sorted(proposals, key=lambda c: corpus.chunks[c].yrkande or 0)
            return yrkande_answer(plan.language, corpus, proposals, messages.PROPOSAL_LEAD[plan.language])
    if plan.qtype == "reason":
        # The reasons, not the proposal; after an answer, not what it said: that is what "why?" asks about.
        reasons = [s for s in scored if not _proposal_like(s.candidate, corpus) and not _said(s.candidate)]
        scored = reasons or scored
    scored = _fact_first(plan, scored, corpus)
    answered = decision.outcome == "answered"
    # A plain answer quotes the best sentences; a hedge the closest passages, from different places.
    pool = _runners_up(scored, max_sentences) if answered else scored
    if plan.thread:  # a follow-up, answered or hedged, continues in one place: the best sentence's section
        best = corpus.place_of(pool[0].candidate.sentence)
        pool = [s for s in pool if corpus.place_of(s.candidate.sentence) == best]
    limit = max_sentences if answered else SCORING.see_also
    chosen = _distinct(pool, corpus, limit, one_per_chunk=not answered and not plan.thread)
    return _quotes(plan, decision, chosen, state, corpus)


def _ranked(
    state: QueryState,
    corpus: CorpusMap,
    ranker: SentenceRanker,
    already_said: str,
    cross_encoder: CrossEncoderReranker | None,
) -> list[_Scored]:
    found = candidates(state, corpus, already_said)
    if not found:
        return []
    probabilities = ranker.probabilities(matrix(found))
    if cross_encoder is not None:
        texts = [corpus.sentence_texts[c.sentence] for c in found]
        probabilities = (probabilities + cross_encoder.scores(state.plan.text, texts)) / 2
    pairs = zip(found, probabilities, strict=True)
    return sorted((_Scored(c, float(p)) for c, p in pairs), key=lambda s: -s.probability)


def decline(plan: QueryPlan, state: QueryState, decision: Decision) -> Answer:
    see_also = [passage_citation(i + 1, hit.chunk) for i, hit in enumerate(state.hits[: SCORING.see_also])]
    text = _missing(plan, decision) or messages.DECLINE[plan.language]
    return Answer(text, "declined", plan.language, see_also=see_also)


def _missing(plan: QueryPlan, decision: Decision) -> str:
    """What the motion does not say, in words: the key words it never uses, or the detail asked for."""
    language = plan.language
    if decision.reason == "absent" and plan.absent:
        return messages.not_mentioned(language, [w.word for w in plan.absent[: SCORING.absent_named]])
    if decision.reason != "missing_detail":
        return ""
    analysis = plan.analysis
    if decision.lacking == "year":
        return messages.missing(language, "year", years=analysis.years)
    if decision.lacking == "name":
        return messages.missing(language, "name", names=_as_written(analysis.text, analysis.names))
    if decision.lacking == "counted":
        return messages.missing(language, "counted", names=(analysis.counted,))
    return messages.missing(language, decision.lacking) if decision.lacking else ""


def _as_written(text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The question's own words for names kept folded and stemmed for matching ("goteborg" → "Göteborg")."""
    words = WORD.findall(text)
    return tuple(next((w for w in words if fold(w).startswith(name)), name) for name in names)


def _lacking(plan: QueryPlan, scored: list[_Scored], corpus: CorpusMap) -> Detail | None:
    """None when some of the best sentences carry what a shaped question asks for (or nothing particular
    was asked); else what the best sentence lacks."""
    if not plan.shaped:
        return None
    lacks = [_lacks(plan, s.candidate, corpus) for s in scored[: SCORING.shape_window]]
    return None if None in lacks else lacks[0]


def _fact_first(plan: QueryPlan, scored: list[_Scored], corpus: CorpusMap) -> list[_Scored]:
    """The fact asked for first: of the best sentences, the first that carries it leads the answer."""
    if not plan.shaped:
        return scored
    window = scored[: SCORING.shape_window]
    first = next((i for i, s in enumerate(window) if _lacks(plan, s.candidate, corpus) is None), 0)
    return [scored[first], *scored[:first], *scored[first + 1 :]]


def _lacks(plan: QueryPlan, candidate: Candidate, corpus: CorpusMap) -> Detail | None:
    """The asked-for year, a name the question restricts to, what it counts, and a value of its type."""
    analysis = plan.analysis
    trait = corpus.sentence_traits[candidate.sentence]
    text = corpus.sentence_texts[candidate.sentence]
    if analysis.years and not set(analysis.years) <= trait.years:
        return "year"
    if analysis.names:
        folded = fold(text)
        # One name restricts ("… i Malmö?"); of several, one in the sentence is enough.
        if not any(re.search(rf"\b{re.escape(name)}", folded) for name in analysis.names):
            return "name"
    if plan.qtype == "number" and analysis.counted and not _counts(analysis.counted, analysis.counted_terms, text):
        return "counted"
    if trait.carries(plan.qtype) is False:
        return cast(Detail, plan.qtype)
    if plan.qtype in _TO_COME and analysis.future:
        year = corpus.documents[corpus.sentences[candidate.sentence].doc_id].meta.year
        if year is not None and only_the_past(text, year):
            return cast(Detail, plan.qtype)
    return None


def _counts(asked: str, terms: frozenset[str], sentence: str) -> bool:
    """A figure in the sentence counts the asked-for thing, or people in general ("300 individer")."""
    counted = counted_words(sentence, SCORING.counted_window)
    people = ANY_PEOPLE if asked.lower() in PEOPLE else PEOPLE
    return any(word in people or any(_same_thing(fold(t), fold(word)) for t in terms) for word in counted)


def _same_thing(asked: str, counted: str) -> bool:
    """Inflected or compounded either way: "jour" in "kvinnojourerna", "salonger" for "thaimassagesalong"."""
    return asked in counted or any(asked.endswith(counted[:cut]) for cut in range(_MIN_HEAD, len(counted) + 1))


def _thread_proposals(
    plan: QueryPlan, decision: Decision, scored: list[_Scored], state: QueryState, corpus: CorpusMap
) -> Answer:
    """The yrkanden argued where the previous answer quoted; if none is, that said, and the closest there."""
    places = plan.thread_places
    argued = corpus.yrkanden_argued_in(places)
    if argued:
        return yrkande_answer(plan.language, corpus, argued, messages.PROPOSAL_LEAD[plan.language])
    doc_id, section = corpus.place_of(plan.thread[0])
    title = corpus.documents[doc_id].section_title(section)
    there = _distinct([s for s in scored if corpus.place_of(s.candidate.sentence) in places], corpus, SCORING.see_also)
    if not there:
        return Answer(messages.section_without_proposal(plan.language, title, ""), "answered", plan.language)
    lead = messages.section_without_proposal(plan.language, title, "closest")
    return _quotes(plan, decision, there, state, corpus, lead)


def _said(candidate: Candidate) -> bool:
    return bool(candidate.features[_ALREADY_SAID])


def _proposal_like(candidate: Candidate, corpus: CorpusMap) -> bool:
    return (
        corpus.chunks[candidate.chunk].kind == "yrkande"
        or candidate.sentence in corpus.restating
        or corpus.sentence_traits[candidate.sentence].proposal_opening
    )


def _runners_up(scored: list[_Scored], limit: int) -> list[_Scored]:
    floor = scored[0].probability * SCORING.runner_up_share
    return [s for s in scored[: limit * SCORING.runner_up_window] if s.probability >= floor]


def _distinct(scored: list[_Scored], corpus: CorpusMap, limit: int, one_per_chunk: bool = False) -> list[Candidate]:
    """Up to ``limit`` of the best sentences that say something different from each other (and, for the
    closest passages of a hedge, come from different passages)."""
    chosen: list[Candidate] = []
    for item in scored:
        if len(chosen) == limit:
            break
        candidate = item.candidate
        terms = corpus.sentence_terms[candidate.sentence]
        if any(_jaccard(terms, corpus.sentence_terms[c.sentence]) > SCORING.duplicate_overlap for c in chosen):
            continue
        if one_per_chunk and any(c.chunk == candidate.chunk for c in chosen):
            continue
        chosen.append(candidate)
    return chosen


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _quotes(
    plan: QueryPlan,
    decision: Decision,
    chosen: list[Candidate],
    state: QueryState,
    corpus: CorpusMap,
    lead: str = "",
) -> Answer:
    """``lead``, when given, says what the quotes are instead of the question type's lead line."""
    language = plan.language
    cited = [sentence_citation(0, c.sentence, c.chunk, corpus) for c in _in_reading_order(chosen)]
    quoted = merge_overlaps(cited, corpus)
    sources = _footnote_citations(chosen, state, corpus, first_number=len(quoted) + 1)
    body = " ".join(f"{c.text} [{c.n}]" for c in quoted)
    if sources:
        body += f" ({messages.SOURCE_LABEL[language]}: {' '.join(f'[{c.n}]' for c in sources)})"
    if decision.outcome == "hedged":
        head = " ".join(filter(None, (_missing(plan, decision), messages.CLOSEST[language])))
    else:
        head = lead or messages.lead(language, plan.qtype, quoted[0].section)
    return Answer(f"{head}\n{body}", decision.outcome, language, citations=quoted + sources)


def _in_reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """The best sentence first; runners-up from the same passage keep the motion's order after it."""
    return chosen[:1] + sorted(chosen[1:], key=lambda c: (c.chunk != chosen[0].chunk, c.sentence))


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

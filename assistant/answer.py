"""Extractive, cited answers: the best-supporting sentences of the motion, quoted verbatim.

Sentences inside the retrieved chunks are scored against the (history-aware) query
vector plus a small bonus for shared Swedish terms; the best 1–3 distinct ones become
the answer, each followed by ``[n]``. Below the abstention threshold the assistant
says the motion does not cover the question and offers the closest passages instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.intent import answer_shape_matches, asks_for_proposal
from assistant.language import Language
from assistant.retrieval import QueryState, Retriever
from index.chunker import Chunk
from index.settings import Settings

ABSTAIN_MESSAGE = {"sv": "Motionen tar inte upp det.", "en": "The motion does not address that."}
ENGLISH_LEAD = "The motion says (quoted in Swedish):"
# Sentence score = cosine + these bonuses; weights picked on the gold suite's sentence-level labels.
LEXICAL_BONUS = 0.02
RANK_PRIOR = 0.04
PROPOSAL_BONUS = 0.02
# A follow-up asks for something new: sentences the conversation already quoted step back.
REPEAT_PENALTY = 0.03
# "Hur många …?" is answered by a sentence with a number, "När …?" by one with a time.
SHAPE_BONUS = 0.02
# ... and when none of the best few sentences has one, the motion probably does not say.
SHAPE_WINDOW = 3
SHAPE_PENALTY = 0.02
DUPLICATE_OVERLAP = 0.7
SEE_ALSO = 3


@dataclass(frozen=True)
class Citation:
    n: int
    id: str
    doc_id: str
    text: str
    section: str
    start: int
    end: int
    yrkande: int | None = None
    footnote: int | None = None


@dataclass
class Answer:
    text: str
    answerable: bool
    language: Language
    citations: list[Citation] = field(default_factory=list)
    see_also: list[Citation] = field(default_factory=list)
    confidence: float = 0.0


@dataclass(frozen=True)
class _Candidate:
    sentence: int
    chunk: Chunk
    score: float


def compose_answer(
    question: str,
    state: QueryState,
    retriever: Retriever,
    settings: Settings,
    language: Language,
    already_said: str = "",
) -> Answer:
    """``already_said`` is the text of earlier answers in the conversation."""
    candidates = _score_sentences(question, state, retriever, already_said)
    best = float(state.sentence_scores.max()) if state.sentence_scores.size else 0.0
    if _shape_unmet(question, candidates[:SHAPE_WINDOW], retriever):
        best -= SHAPE_PENALTY
    threshold = settings.abstain_threshold - (settings.abstain_english_offset if language == "en" else 0.0)
    if not candidates or best < threshold:
        see_also = [passage_citation(i + 1, hit.chunk) for i, hit in enumerate(state.hits[:SEE_ALSO])]
        return Answer(ABSTAIN_MESSAGE[language], False, language, see_also=see_also, confidence=best)
    chosen = _select(candidates, retriever, settings.answer_max_sentences, settings.answer_margin)
    quoted = [_sentence_citation(n, c, retriever) for n, c in enumerate(chosen, start=1)]
    sources = _footnote_citations(chosen, state, retriever, first_number=len(quoted) + 1)
    body = " ".join(f"{c.text} [{c.n}]" for c in quoted)
    if sources:
        label = "källa" if language == "sv" else "source"
        body += f" ({label}: {' '.join(f'[{c.n}]' for c in sources)})"
    text = f"{ENGLISH_LEAD}\n{body}" if language == "en" else body
    return Answer(text, True, language, citations=quoted + sources, confidence=best)


def _score_sentences(
    question: str, state: QueryState, retriever: Retriever, already_said: str = ""
) -> list[_Candidate]:
    """Each sentence of the retrieved chunks, scored by its own cosine, shared terms and its chunk's rank."""
    analyzer = retriever.index.lexical.analyzer
    query_terms = set(analyzer.terms(question))
    proposal = asks_for_proposal(question)
    seen: set[int] = set()
    candidates = []
    for rank, hit in enumerate(state.hits):
        for sentence in retriever.chunk_sentences[hit.position]:
            if sentence in seen:
                continue
            seen.add(sentence)
            score = float(state.sentence_scores[sentence]) + RANK_PRIOR / (1 + rank)
            if proposal and hit.chunk.kind == "yrkande":
                score += PROPOSAL_BONUS
            text = retriever.sentence_texts[sentence]
            if already_said and text in already_said:
                score -= REPEAT_PENALTY
            if answer_shape_matches(question, text):
                score += SHAPE_BONUS
            if query_terms:
                score += LEXICAL_BONUS * len(query_terms & retriever.sentence_terms[sentence]) / len(query_terms)
            candidates.append(_Candidate(sentence, hit.chunk, score))
    return sorted(candidates, key=lambda c: -c.score)


def _shape_unmet(question: str, candidates: list[_Candidate], retriever: Retriever) -> bool:
    shapes = [answer_shape_matches(question, retriever.sentence_texts[c.sentence]) for c in candidates]
    return bool(shapes) and all(shape is False for shape in shapes)


def _select(candidates: list[_Candidate], retriever: Retriever, limit: int, margin: float) -> list[_Candidate]:
    """The best sentence, plus close runners-up that say something different."""
    chosen: list[_Candidate] = []
    chosen_terms: list[frozenset[str]] = []
    for candidate in candidates:
        if len(chosen) == limit or candidate.score < candidates[0].score - margin:
            break
        terms = retriever.sentence_terms[candidate.sentence]
        if any(len(terms & other) / (len(terms | other) or 1) > DUPLICATE_OVERLAP for other in chosen_terms):
            continue
        chosen.append(candidate)
        chosen_terms.append(terms)
    return chosen


def _sentence_citation(n: int, candidate: _Candidate, retriever: Retriever) -> Citation:
    ref = retriever.sentences[candidate.sentence]
    chunk = candidate.chunk
    return Citation(
        n=n,
        id=chunk.id,
        doc_id=ref.doc_id,
        text=retriever.sentence_texts[candidate.sentence],
        section=chunk.section,
        start=ref.span.start,
        end=ref.span.end,
        yrkande=chunk.yrkande,
        footnote=chunk.footnote,
    )


def passage_citation(n: int, chunk: Chunk) -> Citation:
    return Citation(
        n, chunk.id, chunk.doc_id, chunk.text, chunk.section, chunk.start, chunk.end, chunk.yrkande, chunk.footnote
    )


def _footnote_citations(
    chosen: list[_Candidate], state: QueryState, retriever: Retriever, first_number: int
) -> list[Citation]:
    """A retrieved footnote that sources a quoted sentence is cited as that sentence's source."""
    retrieved = {hit.position for hit in state.hits if hit.chunk.kind == "footnote"}
    positions = dict.fromkeys(
        p for c in chosen for p in retriever.sentence_footnotes.get(c.sentence, ()) if p in retrieved
    )
    return [passage_citation(first_number + i, retriever.chunks[p]) for i, p in enumerate(positions)]

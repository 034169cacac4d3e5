"""Features of a (question, candidate sentence) pair for the learned sentence ranker.

Every feature is general: a similarity on a per-query standardized scale (so the
ranker does not depend on one model's raw cosine range), term overlap, answer-type
match, rhetorical markers crossed with the question type, the sentence's role in the
motion (proposal, restatement, footnote), and position. None names a topic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from assistant.retrieve.corpus_map import CorpusMap
from assistant.retrieve.retriever import QueryState

FEATURES = (
    "similarity",
    "similarity_gap",
    "chunk_rank",
    "topic_overlap",
    "content_overlap",
    "shape_met",
    "shape_missing",
    "year_met",
    "year_missing",
    "reason_marker",
    "reason_on_proposal",
    "definition_marker",
    "proposal_on_yrkande",
    "proposal_on_restatement",
    "source_on_footnote",
    "footnote_elsewhere",
    "anaphoric_opening",
    "first_in_paragraph",
    "length",
    "already_said",
    "english_similarity",
    "unknown_topic",
    "unknown_topic_english",
    "absolute_similarity",
    "in_argued_section",
)


@dataclass(frozen=True)
class Candidate:
    """A sentence that could be quoted: where it is, which retrieved chunk brought it, its features."""

    sentence: int
    chunk: int
    rank: int
    features: tuple[float, ...]


def candidates(state: QueryState, corpus: CorpusMap, already_said: str = "") -> list[Candidate]:
    """Every sentence of the retrieved chunks (once, with its best chunk rank), boilerplate left out."""
    scores = state.sentence_scores
    mean, spread = float(scores.mean()), float(scores.std()) or 1.0
    best = float(scores.max())
    argued = _argued_section(state, corpus)
    seen: set[int] = set()
    found = []
    for rank, hit in enumerate(state.hits):
        for sentence in corpus.chunk_sentences[hit.position]:
            if sentence in seen or sentence in corpus.boilerplate:
                continue
            seen.add(sentence)
            z = (float(scores[sentence]) - mean) / spread
            gap = (float(scores[sentence]) - best) / spread
            row = _features(state, corpus, sentence, hit.position, rank, z, gap, already_said, argued)
            found.append(Candidate(sentence, hit.position, rank, row))
    return found


def _features(
    state: QueryState,
    corpus: CorpusMap,
    sentence: int,
    chunk_position: int,
    rank: int,
    similarity: float,
    gap: float,
    already_said: str,
    argued: int | None,
) -> tuple[float, ...]:
    analysis = state.plan.analysis
    qtype = state.plan.qtype
    trait = corpus.sentence_traits[sentence]
    terms = corpus.sentence_terms[sentence]
    kind = corpus.chunks[chunk_position].kind
    text = corpus.sentence_texts[sentence]
    proposal_like = kind == "yrkande" or sentence in corpus.restating or trait.proposal_opening
    carries = trait.carries(qtype)
    asks_proposal = qtype in ("proposal", "overview")
    values = {
        "similarity": similarity,
        "similarity_gap": gap,
        "chunk_rank": 1.0 / (1 + rank),
        "topic_overlap": _overlap(analysis.topic_terms, terms),
        "content_overlap": _overlap(analysis.content_terms, terms),
        "shape_met": float(carries is True),
        "shape_missing": float(carries is False),
        "year_met": float(bool(analysis.years) and set(analysis.years) <= trait.years),
        "year_missing": float(bool(analysis.years) and not set(analysis.years) <= trait.years),
        "reason_marker": float(qtype == "reason" and trait.causal),
        "reason_on_proposal": float(qtype == "reason" and proposal_like),
        "definition_marker": float(qtype == "definition" and trait.definitional),
        "proposal_on_yrkande": float(asks_proposal and kind == "yrkande"),
        "proposal_on_restatement": float(asks_proposal and kind != "yrkande" and proposal_like),
        "source_on_footnote": float(qtype == "source" and kind == "footnote"),
        "footnote_elsewhere": float(qtype != "source" and kind == "footnote"),
        "anaphoric_opening": float(trait.anaphoric_opening),
        "first_in_paragraph": float(corpus.previous_in_paragraph(sentence) is None),
        "length": math.log1p(len(text)) / 5.0,
        "already_said": float(bool(already_said) and text in already_said),
        "english_similarity": similarity if analysis.language == "en" else 0.0,
        "unknown_topic": analysis.unknown_share if analysis.language == "sv" else 0.0,
        "unknown_topic_english": analysis.unknown_share if analysis.language == "en" else 0.0,
        # The one scale-bound feature: how close at all (off-topic questions are far from everything).
        # The ranker is retrained per model and records the model it was calibrated for.
        "absolute_similarity": float(state.sentence_scores[sentence]),
        # Why and what-for questions: the reasons sit in the section that argues the closest proposal.
        "in_argued_section": float(
            qtype in ("reason", "proposal") and kind == "body" and corpus.sentence_section[sentence] == argued
        ),
    }
    return tuple(values[name] for name in FEATURES)


def _argued_section(state: QueryState, corpus: CorpusMap) -> int | None:
    """The section arguing the yrkande closest to the query, for questions about proposals and reasons."""
    if state.plan.qtype not in ("reason", "proposal") or not corpus.argued_section:
        return None
    scores = state.sentence_scores
    closest = max(corpus.argued_section, key=lambda c: max(float(scores[s]) for s in corpus.chunk_sentences[c]))
    return corpus.argued_section[closest]


def _overlap(query_terms: frozenset[str], sentence_terms: frozenset[str]) -> float:
    return len(query_terms & sentence_terms) / len(query_terms) if query_terms else 0.0


def matrix(found: list[Candidate]) -> np.ndarray:
    return np.array([c.features for c in found], dtype=np.float64).reshape(len(found), len(FEATURES))

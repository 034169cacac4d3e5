"""Every scoring constant of motionqa in one typed, frozen record, recorded in each index's manifest
and in the sentence ranker.

The learned ranker's features and thresholds are fitted on answers that these constants shaped, and
the derived maps (frame terms) are built with them; so they travel with the index, and the ranker
records the record it was trained under (``assistant.read.ranker.TrainedUnder``). Changing one in
code makes the index stale (``index build`` rebuilds it). The retrieval tunables (``TUNABLES``) may
also be overridden per run (``MOTIONQA_RRF_K`` …, eval configurations): the service then refuses a
ranker trained under other values. Values were chosen on the gold suite and judged on heldout
(docs/evaluation.md, docs/history.md).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Scoring(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- Build: which stems are the corpus' frame (index.derive) ---------------------------------
    frame_document_frequency: float = Field(
        0.15,
        description="A stem in more than this share of passages is frame ('våld' here), left out of a question's "
        "focus text (robust between 0.10 and 0.20).",
    )
    core_frame_document_frequency: float = Field(
        0.30,
        description="Stricter, for whether a question names a topic: a frequent subject ('polisen', 0.20) is still "
        "a topic; only what nearly every passage says is not.",
    )
    common_name_document_frequency: float = Field(
        0.05, description="A name in more passages than this ('Sverige') does not restrict what a question asks."
    )

    # --- Query: typos and the conversation (assistant.query) -------------------------------------
    typo_min_length: int = Field(6, description="Words at least this long may be a misspelt corpus word.")
    typo_similarity: float = Field(
        85.0, description="rapidfuzz's normalized Indel ratio at which a word counts as a corpus word, misspelt."
    )
    lean_bare: float = Field(
        0.8, description="Weight of the last user turn for a question with no topic of its own ('Hur många då?')."
    )
    lean_named: float = Field(
        0.4, description="The same for one that points back but names a subject ('Och barnahus?')."
    )
    answer_share: float = Field(
        0.25, description="An earlier answer marks the topic but should not pull the same passage back up."
    )
    thread_min_chars: int = Field(
        30, description="A sentence this long, found verbatim in the previous answer, is one it quoted."
    )
    thread_window: int = Field(
        2500,
        description="A follow-up is looked for this many characters around what the previous answer quoted "
        "(10 of 10 measured follow-ups had their evidence in the same section, 9 within 2,500 characters).",
    )
    thread_weight: float = Field(
        1.0, description="Fusion weight of the passages around the previous answer's quotes, for a follow-up."
    )
    heading_match: float = Field(
        0.5, description="Share of a heading's words a question must use to name that section."
    )

    # --- Retrieval (assistant.retrieve) ----------------------------------------------------------
    rrf_k: int = Field(20, ge=1, le=1000, description="Reciprocal-rank-fusion constant (gold: 20 beat the usual 60).")
    sentence_weight: float = Field(
        1.5, ge=0.0, le=5.0, description="Fusion weight of the sentence-level ranking (dense chunks and BM25: 1)."
    )
    focus_weight: float = Field(
        0.5, ge=0.0, le=3.0, description="Weight of the focus (question minus frame words) in the query vector (gold)."
    )
    candidate_pool: int = Field(30, ge=5, le=500, description="Hits per retriever before fusion.")
    sentence_pool_factor: int = Field(
        2, ge=1, description="Best sentences looked at per chunk wanted, when chunks are ranked by their best sentence."
    )
    english_lexical_weight: float = Field(
        0.5, ge=0.0, description="Fusion weight of BM25 for an English question (its words rarely meet the Swedish)."
    )
    english_lexical_zipf: float = Field(
        4.0,
        description="An English question meets the Swedish text through BM25 only with its words rarer than this "
        "in English (wordfreq Zipf): names and borrowed terms, not everyday words that match English titles.",
    )
    intent_depth: int = Field(3, description="Proposals (and their restating passages) a proposal question adds.")

    # --- Reading (assistant.read) ----------------------------------------------------------------
    see_also: int = Field(3, description="Passages offered to read after a decline or hedge.")
    runner_up_share: float = Field(
        0.6, description="Runners-up join the best sentence at this share of its ranker probability."
    )
    runner_up_window: int = Field(
        3, ge=1, description="Runners-up are looked for among this many best sentences per sentence quoted."
    )
    duplicate_overlap: float = Field(0.7, description="Token overlap at which two quotes say the same thing.")
    shape_window: int = Field(3, description="The answer-type check looks at this many of the best sentences.")
    counted_window: int = Field(
        3, ge=1, description="A figure answers 'hur många X' when X is among this many words after it."
    )
    unknown_decline: float = Field(
        1.0,
        description="Share of a Swedish question's topic words the motion never uses at which it is declined "
        "(hedging at half hedged 17 % of answerable gold questions).",
    )
    unknown_distant: float = Field(
        0.5, description="The same, for a question that is also far from the corpus as a whole."
    )
    heading_stem_min: int = Field(
        5, description="A question's word meets a heading's when one is the other plus an ending, from this length."
    )
    absent_named: int = Field(3, description="Words the motion never uses named in a decline or hedge, at most.")
    section_opening: int = Field(3, description="Sentences quoted of a section asked for by its heading.")
    absent_share: float = Field(
        0.25,
        description="Words the motion never uses change the outcome only when they are at least this share of the "
        "question's topic words (chosen on gold and heldout: a lower share hedged a quarter of answerable questions, "
        "whose one unused word was a synonym or a verb form; checked on readers and heldout2).",
    )
    max_proposals: int = Field(5, description="A proposal question lists at most this many yrkanden.")


SCORING = Scoring()

# The tunables a run may override (``assistant.settings.ServiceSettings``): they shape retrieval only,
# not the index, so an experiment needs no rebuild, but the ranker is bound to the values it was trained under.
TUNABLES = ("rrf_k", "sentence_weight", "focus_weight", "candidate_pool")

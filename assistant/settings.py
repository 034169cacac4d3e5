"""Service settings: how questions are retrieved and answered, conversations kept, an LLM used."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from index.settings import IndexSettings

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class ServiceSettings(IndexSettings):
    """The assistant's tunables, on top of the index it serves; defaults are the measured best."""

    # Retrieval.
    retrieval_mode: RetrievalMode = "hybrid"
    rrf_k: int = Field(20, ge=1, le=1000, description="Reciprocal-rank-fusion constant (gold: 20 beat the usual 60).")
    sentence_weight: float = Field(
        1.5, ge=0.0, le=5.0, description="Fusion weight of the sentence-level ranking (dense chunks and BM25: 1)."
    )
    focus_weight: float = Field(
        0.5,
        ge=0.0,
        le=3.0,
        description="Weight of the focus (question minus frame words) in the query vector (gold: 0.5).",
    )
    candidate_pool: int = Field(30, ge=5, le=500, description="Hits per retriever before fusion.")
    top_k: int = Field(5, ge=1, le=50)

    # Conversation.
    history_turns: int = Field(2, ge=0, le=10, description="Earlier user turns mixed into a follow-up.")
    history_decay: float = Field(0.5, ge=0.0, le=1.0, description="Weight of each older turn vs. the newer.")
    session_max: int = Field(1000, ge=1)
    session_ttl_seconds: int = Field(3600, ge=1)
    session_max_turns: int = Field(50, ge=2)
    session_max_per_client: int = Field(
        20, ge=1, description="Conversations one client address may hold in each store; past that, its own oldest goes."
    )

    # Answering.
    answer_max_sentences: int = Field(3, ge=1, le=6)
    reranker_model: str | None = Field(
        None, description="Optional sentence-transformers CrossEncoder (hub name or folder), averaged with the ranker."
    )

    # Optional generative mode (OpenAI-compatible endpoint); off unless both are set.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(20.0, gt=0)

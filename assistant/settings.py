"""Service settings: how questions are retrieved and answered, conversations kept, an LLM used."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator

from index.scoring import SCORING, TUNABLES, Scoring
from index.settings import IndexSettings

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class ServiceSettings(IndexSettings):
    """The assistant's tunables, on top of the index it serves; defaults are the measured best."""

    # Retrieval. The fusion tunables live in the scoring record (index.scoring); these override them
    # for an experiment (unset: the recorded value). The ranker refuses values it was not trained under.
    retrieval_mode: RetrievalMode = "hybrid"
    rrf_k: int | None = Field(None, description="Overrides Scoring.rrf_k.")
    sentence_weight: float | None = Field(None, description="Overrides Scoring.sentence_weight.")
    focus_weight: float | None = Field(None, description="Overrides Scoring.focus_weight.")
    candidate_pool: int | None = Field(None, description="Overrides Scoring.candidate_pool.")
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

    @property
    def scoring(self) -> Scoring:
        """The scoring record this service runs with: the recorded one, with this run's overrides."""
        overrides = {name: getattr(self, name) for name in TUNABLES if getattr(self, name) is not None}
        return Scoring.model_validate({**SCORING.model_dump(), **overrides}) if overrides else SCORING

    @field_validator(*TUNABLES)
    @classmethod
    def _in_recorded_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        """An override is held to the scoring record's bounds when the settings are made, not mid-question."""
        if value is not None:
            try:
                Scoring.model_validate({**SCORING.model_dump(), info.field_name: value})
            except ValidationError as error:
                raise ValueError(error.errors()[0]["msg"]) from None
        return value

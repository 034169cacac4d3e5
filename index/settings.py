"""One settings object for every layer, read from ``MOTIONQA_*`` environment variables.

Index, assistant, API, UI and eval all take a ``Settings`` so that a value set once
(for example the chunk size) means the same thing everywhere.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_MODEL = "bundled:multilingual-e5-small"

RetrievalMode = Literal["hybrid", "dense", "bm25"]
EncoderBackend = Literal["torch", "onnx", "onnx-int8"]


class Settings(BaseSettings):
    """Every tunable of motionqa; defaults are the measured best (see README, Evaluation)."""

    model_config = SettingsConfigDict(env_prefix="MOTIONQA_", env_file=".env", extra="ignore")

    # Where things live.
    data_dir: Path = PROJECT_ROOT / "data"
    index_dir: Path = PROJECT_ROOT / "var" / "index"
    models_dir: Path = PROJECT_ROOT / "models"
    # The learned sentence ranker (motionqa eval train-ranker); copied into every index it serves.
    ranker_path: Path = PROJECT_ROOT / "assistant" / "models" / "sentence_ranker.json"

    # Embedding model: the bundled offline e5, or any sentence-transformers name or path.
    embedding_model: str = BUNDLED_MODEL
    encoder_backend: EncoderBackend = "onnx-int8"
    embed_batch_size: int = Field(32, ge=1, le=512)

    # Chunking.
    chunk_size: int = Field(800, ge=100, le=4000, description="Maximum characters per body chunk (gold: 800 best).")
    chunk_overlap: int = Field(0, ge=0, le=1000, description="Characters of sentence overlap between chunks.")

    # Index structure: a FAISS index_factory string ("Flat", "HNSW32", "IVF64,Flat").
    faiss_factory: str = "Flat"

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

    # Serving.
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_key: SecretStr | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Allowed CORS origins: a JSON list or comma-separated; empty = CORS off."
    )
    max_question_chars: int = Field(2000, ge=10)
    max_history_turns: int = Field(40, ge=0)
    max_request_bytes: int = Field(256_000, ge=1024)
    request_timeout_seconds: float = Field(30.0, gt=0)
    request_read_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Deadline to receive a request's headers (from connect or the previous response) and, "
        "separately, its body: slower clients are cut off (body: 408) instead of holding a connection.",
    )
    max_connections: int = Field(
        200, ge=1, description="Connections served at once; requests on further connections get 503."
    )

    # Feedback on answers (thumbs up/down), the raw material of new eval items.
    feedback_path: Path = PROJECT_ROOT / "var" / "feedback.jsonl"
    feedback_max_bytes: int = Field(
        50_000_000, ge=1024, description="Size bound of the feedback log: further votes are refused (507), none lost."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [o.strip() for o in text.split(",") if o.strip()]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()

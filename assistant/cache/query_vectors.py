"""Query embeddings with a bounded LRU cache: repeated questions and history turns skip the model."""

from __future__ import annotations

import numpy as np

from assistant.cache.lru import LRUCache
from index.encode.embedder import Embedder


class CachedQueryEncoder:
    """Whitespace-normalized query text -> unit vector, at most ``capacity`` entries."""

    def __init__(self, embedder: Embedder, capacity: int = 4096) -> None:
        self.embedder = embedder
        self.cache: LRUCache[str, np.ndarray] = LRUCache(capacity)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [" ".join(t.split()) for t in texts]  # whitespace only: the model is case-sensitive
        found = {key: vector for key in dict.fromkeys(keys) if (vector := self.cache.get(key)) is not None}
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            for key, vector in zip(missing, self.embedder.encode_queries(missing), strict=True):
                vector.setflags(write=False)
                self.cache.put(key, vector)
                found[key] = vector
        return np.stack([found[k] for k in keys])

    def __contains__(self, text: str) -> bool:
        """Is ``text``'s vector cached (not counted as a lookup)?"""
        return " ".join(text.split()) in self.cache

    def stats(self) -> dict[str, int]:
        return self.cache.stats()

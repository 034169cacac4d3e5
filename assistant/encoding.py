"""Query embeddings with a bounded LRU cache: repeated questions and history turns skip the model."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from index.embedder import Embedder


class CachedQueryEncoder:
    """Whitespace-normalized query text -> unit vector, at most ``capacity`` entries."""

    def __init__(self, embedder: Embedder, capacity: int = 4096) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [" ".join(t.split()) for t in texts]  # whitespace only: the model is case-sensitive
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                vector = self._cache.get(key)
                if vector is not None:
                    self._cache.move_to_end(key)
                    found[key] = vector
            self.hits += sum(k in found for k in keys)
        missing = list(dict.fromkeys(k for k, t in zip(keys, texts, strict=True) if k not in found))
        if missing:
            originals = {k: t for k, t in zip(keys, texts, strict=True)}
            vectors = self.embedder.encode_queries([originals[k] for k in missing])
            with self._lock:
                self.misses += len(missing)
                for key, vector in zip(missing, vectors, strict=True):
                    vector.setflags(write=False)
                    self._cache[key] = vector
                    found[key] = vector
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
        return np.stack([found[k] for k in keys])

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "size": len(self._cache), "capacity": self.capacity}

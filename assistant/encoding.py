"""Query embeddings with a bounded LRU cache: repeated questions and history turns skip the model.

A text can also be started early (``prefetch``): its model pass runs on a helper thread while the
caller analyses the question, and ``encode`` then waits for that pass instead of starting another.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

import numpy as np

from assistant.lru import LRUCache
from index.embedder import Embedder


class CachedQueryEncoder:
    """Whitespace-normalized query text -> unit vector, at most ``capacity`` entries."""

    def __init__(self, embedder: Embedder, capacity: int = 4096) -> None:
        self.embedder = embedder
        self.cache: LRUCache[str, np.ndarray] = LRUCache(capacity)
        self._in_flight: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def prefetch(self, text: str) -> None:
        """Start encoding ``text`` in the background unless it is cached or already being encoded."""
        key = _key(text)
        with self._lock:
            if key in self._in_flight or self.cache.get(key) is not None:
                return
            future = self.embedder.submit_query(key)
            self._in_flight[key] = future
        future.add_done_callback(lambda done: self._settle(key, done))

    def _settle(self, key: str, future: Future[np.ndarray]) -> None:
        """Cache a finished prefetch, then forget it (in that order: a lookup finds one or the other)."""
        if future.exception() is None:
            vector = future.result()
            vector.setflags(write=False)
            self.cache.put(key, vector)
        with self._lock:
            self._in_flight.pop(key, None)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]  # whitespace only: the model is case-sensitive
        found: dict[str, np.ndarray] = {}
        pending: dict[str, Future[np.ndarray]] = {}
        for key in dict.fromkeys(keys):
            with self._lock:
                future = self._in_flight.get(key)
            if future is not None:
                pending[key] = future
            elif (vector := self.cache.get(key)) is not None:
                found[key] = vector
        missing = [key for key in dict.fromkeys(keys) if key not in found and key not in pending]
        if missing:
            for key, vector in zip(missing, self.embedder.encode_queries(missing), strict=True):
                vector.setflags(write=False)
                self.cache.put(key, vector)
                found[key] = vector
        for key, future in pending.items():
            found[key] = future.result()
        return np.stack([found[k] for k in keys])

    def stats(self) -> dict[str, int]:
        return self.cache.stats()


def _key(text: str) -> str:
    return " ".join(text.split())

"""A bounded LRU of finished answers, so a repeated question costs a dict lookup, not a retrieval.

The key is exactly what an answer depends on for a fixed index and settings: the question, the
history-weighted query texts actually used for retrieval (older turns that fall outside
``history_turns`` do not split the cache) and ``k``. Cached answers are shared: treat them as
read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from assistant.history import WeightedText

V = TypeVar("V")
AnswerKey = tuple[str, tuple[tuple[str, float], ...], int]
DEFAULT_CAPACITY = 1024


def answer_key(question: str, parts: list[WeightedText], k: int) -> AnswerKey:
    """Hashable key of one ``ask``; the question itself matters too (language, lexical bonus)."""
    return question, tuple((p.text, round(p.weight, 6)) for p in parts), k


class AnswerCache(Generic[V]):
    """Thread-safe LRU with hit/miss counters (reported by ``Assistant.cache_stats``)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[AnswerKey, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: AnswerKey) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: AnswerKey, value: V) -> None:
        if self.capacity <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "size": len(self._items), "capacity": self.capacity}

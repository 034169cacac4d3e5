"""The LRU behind query vectors and answers: bounded, counted, and keyed on what matters."""

from __future__ import annotations

import numpy as np

from assistant.cache.lru import LRUCache


def test_lru_evicts_the_least_recently_used_and_counts() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert cache.stats() == {"hits": 3, "misses": 1, "size": 2, "capacity": 2}


def test_query_vectors_are_cached_by_whitespace_not_case(assistant) -> None:
    encoder = assistant.encoder
    before = encoder.stats()
    first = encoder.encode(["Vad är  barnahus?"])
    again = encoder.encode(["Vad är barnahus? "])
    upper = encoder.encode(["VAD ÄR BARNAHUS?"])
    after = encoder.stats()
    assert np.array_equal(first, again) and not np.allclose(first, upper)
    assert after["hits"] - before["hits"] >= 1
    assert not first.flags.writeable or not encoder.cache.get("Vad är barnahus?").flags.writeable


def test_repeated_answers_come_from_the_cache(assistant) -> None:
    question = "Vad menas med ekonomiskt våld i motionen?"
    first = assistant.ask(question)
    hits = assistant.answers.stats()["hits"]
    second = assistant.ask(question)
    assert second.answer is first.answer and assistant.answers.stats()["hits"] == hits + 1

"""Memory stays bounded under concurrent long questions (issue: 16 concurrent 2,000-character
queries, three rounds, took a server from 656 to 1,337 MB). Asserted as a ratio, not in MB."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from index.encode import embedder as embedder_module

CLIENTS = 24
ROUNDS = 4


@pytest.mark.timeout(600)
def test_concurrent_long_queries_do_not_grow_memory(assistant, document) -> None:
    embedder = assistant.embedder
    rng = random.Random(7)
    in_flight, peak = 0, 0
    lock = threading.Lock()
    encode = embedder.engine.encode

    def counting(*args, **kwargs):
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return encode(*args, **kwargs)
        finally:
            with lock:
                in_flight -= 1

    embedder.engine.encode = counting  # type: ignore[method-assign]
    try:
        process = psutil.Process()
        sizes = []
        for _ in range(ROUNDS):
            starts = [rng.randrange(0, len(document.text) - 2100) for _ in range(CLIENTS)]
            questions = [document.text[s : s + 2000] for s in starts]  # new every round: no cache
            with ThreadPoolExecutor(CLIENTS) as pool:
                list(pool.map(lambda q: embedder.encode_queries([q]), questions))
            sizes.append(process.memory_info().rss)
    finally:
        embedder.engine.encode = encode  # type: ignore[method-assign]
    assert peak <= embedder_module.QUERY_CONCURRENCY, f"{peak} encodes ran at once"
    growth = sizes[-1] / sizes[0]
    assert growth < 1.06, f"RSS grew {growth:.2f}x after the first round: {[s >> 20 for s in sizes]} MB"

"""Load generation over loopback HTTP: sequential latency, and throughput with N concurrent clients.

Every request counts: a non-2xx status or a transport error is an error, never dropped silently.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from eval.bench.timing import percentiles

TIMEOUT_SECONDS = 30.0


@dataclass
class Samples:
    """Latencies of successful requests (ms), and errors by kind."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self) -> dict[str, Any]:
        return {**percentiles(self.latencies_ms), "errors": sum(self.errors.values()), "error_kinds": self.errors}


def payload(path: str, question: str) -> dict[str, Any]:
    """The request body for one question on ``/api/search`` or ``/api/ask``."""
    return {"query": question, "k": 5, "mode": "hybrid"} if path.endswith("/search") else {"question": question}


def sequential(base_url: str, path: str, questions: list[str]) -> Samples:
    """One client, one request at a time, keep-alive: per-request latency as a user sees it."""
    samples = Samples()
    with httpx.Client(base_url=base_url, timeout=TIMEOUT_SECONDS) as client:
        for question in questions:
            started = time.perf_counter()
            try:
                response = client.post(path, json=payload(path, question))
            except httpx.HTTPError as error:
                samples.error(type(error).__name__)
                continue
            if response.is_success:
                samples.latencies_ms.append(1000 * (time.perf_counter() - started))
            else:
                samples.error(f"HTTP {response.status_code}")
    return samples


async def _concurrent(
    base_url: str, path: str, questions: list[str], clients: int, total: int
) -> tuple[Samples, float]:
    samples = Samples()
    bodies = itertools.islice(itertools.cycle(payload(path, q) for q in questions), total)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        for body in bodies:  # one shared iterator: exactly ``total`` requests across all clients
            started = time.perf_counter()
            try:
                response = await client.post(path, json=body)
            except httpx.HTTPError as error:
                samples.error(type(error).__name__)
                continue
            if response.is_success:
                samples.latencies_ms.append(1000 * (time.perf_counter() - started))
            else:
                samples.error(f"HTTP {response.status_code}")

    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_SECONDS, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        return samples, time.perf_counter() - started


def throughput(base_url: str, path: str, questions: list[str], clients: int, total: int) -> dict[str, Any]:
    """``total`` requests spread over ``clients`` concurrent keep-alive connections."""
    samples, seconds = asyncio.run(_concurrent(base_url, path, questions, clients, total))
    done = len(samples.latencies_ms)
    return {"clients": clients, "requests": total, "seconds": seconds, "rps": done / seconds, **samples.summary()}

"""The benchmark's phases in order, on one machine: build, HTTP, in-process, LangChain.

HTTP runs first against a fresh server subprocess (fresh caches), so "cold" latencies are
honest first encounters: /api/search takes the even gold questions and /api/ask the odd ones,
then "warm" repeats them (embedding and answer caches). Throughput is measured twice and
reported apart: with **new** questions (every request a question the server has not seen, so
the model runs each time) and with **repeated** ones (cycling questions already asked: cache
hits). In-process, the model's own floor (one forward pass per question) and LangChain run
afterwards in this process, so their ratios come from one run on one machine.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.api.settings import Settings
from eval.bench.http_load import sequential, throughput
from eval.bench.inproc import index_build, load_assistant, model_floor, search_latency
from eval.bench.langchain_baseline import run_langchain
from eval.bench.server import ServerProcess
from eval.bench.timing import load_average
from eval.suite import load_suite, resolve_suite
from index.build import build_index

CONCURRENCY = (1, 4, 16)
ENDPOINTS = ("/api/search", "/api/ask")
# The targets of the current performance issue (new questions unless the name says otherwise).
TARGETS = {
    "inprocess_over_floor": 1.3,
    "search_p50_ms": 8.0,
    "search_p95_ms": 15.0,
    "ask_p50_ms": 12.0,
    "speedup_vs_langchain": 3.5,
    "search_rps_16_clients_new": 220.0,
    "server_peak_rss_mb": 1024.0,
}


def _versions() -> dict[str, str]:
    names = ["torch", "onnxruntime", "sentence-transformers", "transformers", "faiss-cpu"]
    names += ["langchain-core", "langchain-huggingface"]
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def http_phase(settings: Settings, questions: list[str], requests: int) -> dict[str, Any]:
    """Latency (cold then warm) and throughput of both endpoints against one real server."""
    build_index(settings, show_progress=False)  # here, so the server's peak RSS is serving alone
    out: dict[str, Any] = {"latency": {}, "throughput": {}}
    with (
        tempfile.TemporaryDirectory(prefix="motionqa-bench-") as scratch,
        ServerProcess.for_settings(settings, Path(scratch) / "server.log") as server,
    ):
        out["server_startup_seconds"] = server.startup_seconds
        for offset, path in enumerate(ENDPOINTS):
            subset = questions[offset::2][:requests]
            out["latency"][path] = {phase: sequential(server.url, path, subset).summary() for phase in ("cold", "warm")}
        for path in ENDPOINTS:
            for kind in ("new", "repeated"):
                out["throughput"][f"{path} ({kind})"] = [
                    throughput(server.url, path, _pool(kind, path, questions, clients, requests), clients,
                               max(requests, clients))
                    for clients in CONCURRENCY
                ]  # fmt: skip
        out["server_memory"] = server.memory()
    return out


def _pool(kind: str, path: str, questions: list[str], clients: int, requests: int) -> list[str]:
    """The questions one throughput run cycles through: for "new", each made unique to this run
    (a numbered suffix is a different text to every cache, and the model runs for it)."""
    if kind == "repeated":
        return questions
    total = max(requests, clients)
    return [f"{questions[i % len(questions)]} ({path[5:]}-{clients}-{i})" for i in range(total)]


def checks(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with the measured value and whether it was met."""
    http = result["http"]
    search, ask = http["latency"]["/api/search"]["cold"], http["latency"]["/api/ask"]["cold"]
    rps16 = next(r["rps"] for r in http["throughput"]["/api/search (new)"] if r["clients"] == 16)
    measured = {
        "inprocess_over_floor": result.get("floor_ratio"),
        "search_p50_ms": search.get("p50"),
        "search_p95_ms": search.get("p95"),
        "ask_p50_ms": ask.get("p50"),
        "speedup_vs_langchain": result.get("speedup", {}).get("inprocess_p50"),
        "search_rps_16_clients_new": rps16,
        "server_peak_rss_mb": http["server_memory"]["peak_rss_mb"],
    }
    higher_is_better = {"speedup_vs_langchain", "search_rps_16_clients_new"}
    return {
        name: {
            "target": target,
            "value": measured[name],
            "met": bool(
                measured[name] is not None
                and (measured[name] >= target if name in higher_is_better else measured[name] <= target)
            ),
        }
        for name, target in TARGETS.items()
    }


def run_bench(settings: Settings, requests: int, build: bool = True, langchain: bool = True) -> dict[str, Any]:
    """Every figure of the benchmark as one JSON-ready dict."""
    questions = [item.question for item in load_suite(resolve_suite("gold"))]
    result: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_before": load_average()},
        "settings": {"encoder_backend": settings.encoder_backend, "retrieval_mode": settings.retrieval_mode},
        "versions": _versions(),
        "requests": requests,
        "questions": len(questions),
    }
    if build:
        result["index_build"] = index_build(settings)
    result["http"] = http_phase(settings, questions, requests)
    assistant, loads = load_assistant(settings)
    result["inprocess"] = {
        **loads,
        "search": search_latency(assistant, questions[:requests]),
        "floor": model_floor(assistant, questions[:requests]),
    }
    result["floor_ratio"] = result["inprocess"]["search"]["cold"]["p50"] / result["inprocess"]["floor"]["p50"]
    del assistant
    if langchain:
        result["langchain"] = run_langchain(settings, questions[:requests])
        lc = result["langchain"]["search"]["p50"]
        result["speedup"] = {
            "inprocess_p50": lc / result["inprocess"]["search"]["cold"]["p50"],
            "http_search_p50": lc / result["http"]["latency"]["/api/search"]["cold"]["p50"],
        }
    result["errors"] = sum(s["errors"] for lat in result["http"]["latency"].values() for s in lat.values()) + sum(
        r["errors"] for runs in result["http"]["throughput"].values() for r in runs
    )
    result["targets"] = checks(result)
    result["machine"]["load_after"] = load_average()
    return result

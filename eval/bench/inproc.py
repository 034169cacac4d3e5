"""motionqa without HTTP: index build time, model load time and ``Assistant.search`` latency."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.api.settings import Settings
from assistant.service import Assistant
from eval.bench.timing import percentiles
from index.build import build_index
from index.encode.embedder import Embedder
from index.store.files import load_index


def index_build(settings: Settings) -> dict[str, Any]:
    """A forced build into a throw-away folder: the real pipeline, without touching the live index."""
    with tempfile.TemporaryDirectory(prefix="motionqa-bench-index-") as tmp:
        report = build_index(
            settings.model_copy(update={"index_dir": Path(tmp) / "index"}), force=True, show_progress=False
        )
    return {
        "backend": settings.encoder_backend,
        "seconds": report.seconds,
        "embed_seconds": report.embed_seconds,
        "chunks": report.chunks,
        "sentences": report.sentences,
        "texts_per_second": report.texts_per_second,
    }


def load_assistant(settings: Settings) -> tuple[Assistant, dict[str, float]]:
    """The assistant plus how long the index and the model each took to load."""
    build_index(settings, show_progress=False)  # no-op when current
    started = time.perf_counter()
    index = load_index(settings.index_dir)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    embedder = Embedder(settings)
    model_seconds = time.perf_counter() - started
    return Assistant(settings, index, embedder), {
        "index_load_seconds": index_seconds,
        "model_load_seconds": model_seconds,
    }


def search_latency(assistant: Assistant, questions: list[str]) -> dict[str, Any]:
    """Cold: each question's first search (the model runs); warm: the same again (embedding cache)."""
    out: dict[str, Any] = {}
    for phase in ("cold", "warm"):
        samples = []
        for question in questions:
            started = time.perf_counter()
            assistant.search(question, k=5)
            samples.append(1000 * (time.perf_counter() - started))
        out[phase] = percentiles(samples)
    return out


def model_floor(assistant: Assistant, questions: list[str]) -> dict[str, Any]:
    """What no query path can avoid: one forward pass of the question, same model, thread count and
    run, bypassing every cache. In-process search p50 divided by this p50 is the overhead ratio."""
    embedder = assistant.embedder
    samples = []
    for question in questions:
        started = time.perf_counter()
        embedder.encode_queries([question])
        samples.append(1000 * (time.perf_counter() - started))
    return percentiles(samples)

"""``motionqa bench`` end to end with a handful of requests: real server, real model, real LangChain.

On the tiny motion: what is checked is that every figure is measured and written, not how fast the
whole motion is (``motionqa bench`` measures that); LangChain's baseline embeds the corpus with PyTorch,
half a minute for the whole motion.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from servers import corpus_env, tiny_corpus
from typer.testing import CliRunner

from assistant.api.settings import get_settings
from ui.cli import app

REQUESTS = 4


@pytest.mark.timeout(900)
def test_bench_writes_every_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in corpus_env(tiny_corpus(tmp_path / "tiny")).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()  # the command reads its settings from this environment
    try:
        outcome = CliRunner().invoke(
            app, ["bench", "--requests", str(REQUESTS), "--report", str(tmp_path), "--no-build"]
        )
    finally:
        get_settings.cache_clear()
    assert outcome.exit_code == 0, outcome.output
    assert "Throughput" in outcome.output
    result = json.loads((tmp_path / "bench.json").read_text())
    assert (tmp_path / "bench.png").stat().st_size > 10_000

    http = result["http"]
    for path in ("/api/search", "/api/ask"):
        for phase in ("cold", "warm"):
            stats = http["latency"][path][phase]
            assert stats["n"] == REQUESTS and stats["errors"] == 0
            assert 0 < stats["p50"] <= stats["p95"] <= stats["p99"]
        for kind in ("new", "repeated"):
            runs = http["throughput"][f"{path} ({kind})"]
            assert [r["clients"] for r in runs] == [1, 4, 16]
            assert all(r["rps"] > 0 and r["errors"] == 0 and r["n"] == r["requests"] for r in runs)
    assert result["errors"] == 0
    assert http["server_memory"]["peak_rss_mb"] > 50
    assert result["inprocess"]["model_load_seconds"] > 0
    assert result["inprocess"]["search"]["cold"]["n"] == REQUESTS
    assert result["inprocess"]["floor"]["n"] == REQUESTS and result["floor_ratio"] > 0
    langchain = result["langchain"]
    assert langchain["chunks"] >= 1 and langchain["index_build_seconds"] > 0
    assert "langchain_community" not in sys.modules, "the baseline uses maintained LangChain packages only"
    assert result["versions"]["langchain-core"] != "missing"
    assert langchain["search"]["n"] == REQUESTS
    assert result["speedup"]["inprocess_p50"] > 0
    assert set(result["targets"]) >= {"search_p50_ms", "search_rps_16_clients_new", "server_peak_rss_mb"}

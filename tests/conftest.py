"""Shared fixtures: the real index and model, a real server on loopback, a tiny corpus for build tests."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import TINY_MOTION, LiveServer

from assistant.api.settings import Settings
from eval.bench.server import UNLIMITED_RATE


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The default settings: the repository's own data and index (built once if missing).

    The feedback log moves to a temporary folder: tests (the fuzzer too) post votes. And the per-client
    rates are lifted: the whole suite is one client on loopback (the limits have tests of their own).
    """
    return Settings(
        feedback_path=tmp_path_factory.mktemp("feedback") / "feedback.jsonl",
        client_request_rate=UNLIMITED_RATE,
        client_write_rate=UNLIMITED_RATE,
        client_login_rate=UNLIMITED_RATE,
    )


@pytest.fixture(scope="session")
def assistant(settings: Settings):
    from assistant.service import Assistant
    from index.build import build_index

    build_index(settings, show_progress=False)
    return Assistant.load(settings)


@pytest.fixture(scope="session")
def document(settings: Settings):
    """The motion as the parser reads it (no model, no index: unit tests use it too)."""
    from index.parse.corpus import load_corpus

    return load_corpus(settings.data_dir)[0]


@pytest.fixture(scope="session")
def live_server(settings: Settings, assistant) -> Iterator[LiveServer]:
    from ui.server import create_app

    with LiveServer(create_app(settings, assistant)) as server:
        yield server


@pytest.fixture()
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        yield http


@pytest.fixture()
def tiny_settings(tmp_path: Path) -> Settings:
    """A three-section motion in a temporary data folder: builds in seconds with the real model."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(TINY_MOTION, data / "tiny.txt")
    (data / "tiny.json").write_text('{"doc_id": "tiny", "title": "Liten motion", "party": "V", "riksmote": "2025/26"}')
    return Settings(data_dir=data, index_dir=tmp_path / "var" / "index", chunk_size=200)

"""Shared fixtures: the real index and model, a real server on loopback, a tiny corpus for build tests."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from assistant.api.settings import Settings
from eval.bench.server import UNLIMITED_RATE, free_port

TINY_MOTION = Path(__file__).parent / "data" / "tiny-motion.txt"


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


class LiveServer:
    """uvicorn serving ``app`` on a free loopback port in a background thread.

    With ``settings``, configured exactly as ``motionqa serve`` configures it (deadlines, connection cap).
    """

    def __init__(self, app, settings: Settings | None = None) -> None:
        from ui.serving import uvicorn_options

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        options = uvicorn_options(settings) if settings else {"log_level": "warning"}
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, **options))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


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

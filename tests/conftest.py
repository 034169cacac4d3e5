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
from servers import LiveServer, tiny_corpus

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
    """The tiny motion in a temporary folder, no index yet."""
    return tiny_corpus(tmp_path)


@pytest.fixture(scope="session")
def tiny_reference(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One real build of the tiny motion for the whole run: never written to, only copied (``tiny_built``)."""
    from index.build import build_index

    settings = tiny_corpus(tmp_path_factory.mktemp("tiny-reference"))
    build_index(settings, show_progress=False)
    return settings


@pytest.fixture()
def tiny_built(tiny_reference: Settings, tmp_path: Path) -> Settings:
    """A copy of the tiny motion's built index (its own data and index folders) for a test to damage or rebuild."""
    shutil.copytree(tiny_reference.data_dir, tmp_path / "data")
    shutil.copytree(tiny_reference.index_dir.parent, tmp_path / "var", symlinks=True)
    return tiny_reference.model_copy(update={"data_dir": tmp_path / "data", "index_dir": tmp_path / "var" / "index"})

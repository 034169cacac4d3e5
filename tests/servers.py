"""Shared by tests in every tier: a real uvicorn server on loopback, and the tiny motion.

(A module of its own, not ``conftest``: tests/unit has a conftest too, and ``from servers import``
found whichever was imported first.)"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import uvicorn

from assistant.api.settings import Settings
from eval.bench.server import free_port

TINY_MOTION = Path(__file__).parent / "data" / "tiny-motion.txt"


def tiny_corpus(root: Path) -> Settings:
    """A three-section motion in ``root/data``, its index to go in ``root/var/index``: builds in seconds
    with the real model."""
    data = root / "data"
    data.mkdir(parents=True)
    (root / "var").mkdir()
    shutil.copy(TINY_MOTION, data / "tiny.txt")
    (data / "tiny.json").write_text('{"doc_id": "tiny", "title": "Liten motion", "party": "V", "riksmote": "2025/26"}')
    return Settings(data_dir=data, index_dir=root / "var" / "index", chunk_size=200)


def corpus_env(settings: Settings) -> dict[str, str]:
    """The ``MOTIONQA_*`` variables that point a ``motionqa`` subprocess at ``settings``' motion and index."""
    return {
        "MOTIONQA_DATA_DIR": str(settings.data_dir),
        "MOTIONQA_INDEX_DIR": str(settings.index_dir),
        "MOTIONQA_CHUNK_SIZE": str(settings.chunk_size),
    }


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

"""Where the CLI's diagnostics go: libraries' warnings and debug lines to a log file, motionqa's own lines to stderr.

A first run converts and exports the model (torch tracer and ONNX export warnings, onnxruntime's
quantization advice) and builds the index (bm25s debug lines). None of that is for the person at
the terminal, so it goes to ``var/motionqa.log`` (``MOTIONQA_LOG_PATH``); ``--verbose`` shows it on
stderr as well. motionqa's own loggers (access log, model repairs, LLM fallbacks) keep stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it per command)."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(pattern))

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class _LogFile(logging.FileHandler):
    pass


def route_diagnostics(log_path: Path, verbose: bool) -> None:
    """Configure logging and warnings for this CLI process; call before the heavy libraries load.

    Once the root logger has a handler, a library's ``basicConfig`` (onnxruntime's quantizer) adds none.
    Calling it again (one process, several commands) replaces what an earlier call added.
    """
    root, own = logging.getLogger(), logging.getLogger("motionqa")
    for logger in (root, own):
        for handler in [h for h in logger.handlers if isinstance(h, _Stderr | _LogFile)]:
            logger.removeHandler(handler)
            handler.close()
    log_file = _log_file(log_path)
    if log_file is not None:
        root.addHandler(log_file)
    if verbose or log_file is None:  # nowhere else to go: warnings stay visible
        root.addHandler(_Stderr(LOG_FORMAT))
    else:
        own.addHandler(_Stderr("%(message)s"))
        # The model loader's "Loading weights" bar is a library's, not a step of ours (read at import).
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    own.setLevel(logging.INFO)
    logging.captureWarnings(True)  # warnings.warn (TracerWarning, UserWarning) become log records


def _log_file(log_path: Path) -> logging.Handler | None:
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = _LogFile(log_path, encoding="utf-8")
    except OSError:
        return None  # a read-only folder: no log file, but no failure either
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    return handler

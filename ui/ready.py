"""The CLI's way to an assistant: build the index when missing or stale, then load it.

This is the README's one-command promise (``motionqa serve`` on a fresh machine); loading itself
never builds (``Assistant.load``), and ``index.build`` is the one place that does.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape

from assistant.api.settings import get_settings
from assistant.read.ranker import RankerError
from assistant.service import Assistant
from eval.cli import fail
from index.build import build_index
from index.encode.export import ModelError
from index.parse.corpus import CorpusError
from index.parse.parser import ParseError
from index.store.files import IndexNotReady


def ready_assistant() -> Assistant:
    """Build if needed (a line per step, a progress bar on a terminal), then load; errors are one line."""
    settings = get_settings()
    try:
        report = build_index(settings, show_progress=sys.stderr.isatty(), announce=say)
        if report.rebuilt:
            say(f"built a new index: {report.plain_reason}")
        return Assistant.load(settings)
    except (IndexNotReady, CorpusError, ParseError, RankerError, ModelError, OSError) as error:
        fail(str(error))


def say(step: str) -> None:
    """One line on stderr for a step a person waits for (standard output stays the command's answer)."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(escape(step))

"""The CLI's way to an assistant: build the index when missing or stale, then load it.

This is the README's one-command promise (``motionqa serve`` on a fresh machine); loading itself
never builds (``Assistant.load``), and ``index.build`` is the one place that does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from rich.console import Console

from assistant.api.settings import Settings, get_settings
from assistant.read.ranker import RankerError
from assistant.service import Assistant
from eval.cli import fail
from index.build import build_index
from index.encode.export import ModelError
from index.parse.corpus import CorpusError
from index.parse.parser import ParseError
from index.store.files import IndexNotReady


def ready_assistant() -> Assistant:
    """Build if needed (saying why, with a progress bar on a terminal), then load; errors are one line."""
    settings = get_settings()
    try:
        build_index(settings, show_progress=sys.stderr.isatty(), announce=_announce_build(settings))
        return Assistant.load(settings)
    except (IndexNotReady, CorpusError, ParseError, RankerError, ModelError, OSError) as error:
        fail(str(error))


def _announce_build(settings: Settings) -> Callable[[str], None]:
    def announce(reason: str) -> None:
        Console(stderr=True, soft_wrap=True).print(
            f"motionqa: building the index in {settings.index_dir} ({reason}); this takes a minute or two"
        )

    return announce

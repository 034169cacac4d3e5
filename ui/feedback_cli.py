"""``motionqa feedback``: turn the feedback log into work for the eval suites."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.feedback import FeedbackLog, FeedbackLogError
from index.settings import get_settings

feedback_app = typer.Typer(help="Use the votes on answers (POST /api/feedback).", no_args_is_help=True)


@feedback_app.command("export")
def export(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the items to this .jsonl file (default: standard output).")
    ] = None,
) -> None:
    """Down-voted answers as candidate eval items: type, answer and evidence left for an analyst to complete."""
    from eval.feedback_items import candidate_items
    from ui.cli import _load_assistant, fail  # here, not at the top: ui.cli imports this module

    log = FeedbackLog.from_settings(get_settings())
    try:
        records = log.read()
    except FeedbackLogError as error:
        fail(str(error))
    down = sum(r.vote == "down" for r in records)
    items = candidate_items(records, _load_assistant()) if down else []
    lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    if out is None:
        sys.stdout.write(lines)
    else:
        try:
            out.write_text(lines, encoding="utf-8")
        except OSError as error:
            fail(f"cannot write {out}: {error}")
    where = f" to {out}" if out else ""
    Console(stderr=True, soft_wrap=True).print(
        f"{len(items)} candidate item(s) from {down} down-vote(s) of {len(records)} vote(s){where}; "
        f"complete the fields listed in to_complete, then check with: motionqa eval validate FILE"
    )

"""Where the eval commands' output goes, in the format asked for (``--format table|markdown|json``).

Tables go to standard output as terminal tables or Markdown; with ``json``, standard output holds
one JSON document (everything measured) and every other line goes to standard error, so the
output can be piped into another program.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.markup import escape

from eval.tables import Grid, markdown, rich_tables


class OutputFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class Printer:
    def __init__(self, output_format: OutputFormat = OutputFormat.table, console: Console | None = None) -> None:
        self.format = output_format
        self.console = console or Console()
        self.errors = Console(stderr=True)
        self.document: dict[str, list[dict[str, Any]]] = {"runs": [], "paired": []}

    def grid(self, grid: Grid) -> None:
        if self.format is OutputFormat.table:
            for table in rich_tables(grid, self.console):
                self.console.print(table)
        elif self.format is OutputFormat.markdown:
            self.console.print(markdown(grid), markup=False, highlight=False, soft_wrap=True)

    def note(self, message: str) -> None:
        """A line for the person at the terminal (file written, items won): kept off a JSON standard output."""
        target = self.errors if self.format is OutputFormat.json else self.console
        target.print(escape(message), soft_wrap=True, highlight=False)

    def record(self, kind: str, entry: dict[str, Any]) -> None:
        """Something measured, for the JSON document (``runs`` or ``paired``)."""
        self.document[kind].append(entry)

    def finish(self) -> None:
        if self.format is OutputFormat.json:
            from eval.report import json_ready

            text = json.dumps(json_ready(self.document), ensure_ascii=False, indent=2)
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)

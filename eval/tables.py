"""The eval's printed tables: a label column and metric columns, for a terminal of any width or as Markdown.

A table that does not fit the terminal is split into several, each repeating the label column, so
no header is cut and no row loses its label. Labels are the suite's own (any type or tag), so the
label column wraps instead of being truncated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

if TYPE_CHECKING:
    from eval.paired import PairedResult  # scipy underneath: only when a paired test runs

# Metric columns per part of the summary; headers are two short lines, so they fit narrow columns.
RETRIEVAL_COLUMNS = {
    "items": "items",
    "recall@1": "R@1",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "success@1": "S@1",
    "success@5": "S@5",
    "mrr@10": "MRR",
    "ndcg@10": "nDCG",
}
ANSWER_COLUMNS = {
    "answered_precision": "answd\nprec",
    "answered_share": "answd\nshare",
    "citation_hit_rate": "cite\nhit",
    "citation_precision": "cite\nprec",
    "evidence_coverage": "evid\ncover",
    "answer_f1": "answer\nF1",
    "citation_integrity": "integ-\nrity",
}
OUTCOME_COLUMNS = {
    "unanswerable_caught": "unans\ncaught",
    "false_abstention_rate": "false\nabstain",
    "hedged_rate": "hedged",
    "hedged": "n\nhedged",
    "declined": "n\ndeclined",
    "latency_p50_ms": "p50\nms",
    "latency_p95_ms": "p95\nms",
}
SUMMARY_PARTS = (("retrieval", RETRIEVAL_COLUMNS), ("answers", ANSWER_COLUMNS), ("outcomes", OUTCOME_COLUMNS))
PAIRED_COLUMNS = {"items": "items", "a": "A", "b": "B", "change": "B−A", "wins": "wins", "losses": "losses", "p": "p"}
COUNTS = frozenset({"items", "unreachable", "hedged", "declined"})
MIN_LABEL_WIDTH = 12
UNBOUNDED = 10_000


@dataclass(frozen=True)
class Grid:
    """A table before it is drawn: titled rows of formatted cells under a label column."""

    title: str
    label: str
    columns: Mapping[str, str]  # key -> header (may hold a line break)
    rows: Mapping[str, Mapping[str, str]]  # label -> key -> cell


def format_value(name: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if name.endswith("_ms"):
        return f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return str(int(value)) if name in COUNTS else f"{value:.3f}"


def summary_grids(title: str, label: str, summaries: Mapping[str, Mapping[str, Any]]) -> list[Grid]:
    """Retrieval, answers and outcomes: one grid each, a row per type, tag or configuration."""
    return [
        Grid(
            f"{title} · {part}",
            label,
            columns,
            {
                name: {key: format_value(key, summary.get(key)) for key in columns}
                for name, summary in summaries.items()
            },
        )
        for part, columns in SUMMARY_PARTS
    ]


def paired_grid(title: str, results: Sequence[PairedResult]) -> Grid:
    rows = {
        row.metric: {
            "items": str(row.items),
            "a": f"{row.mean_a:.3f}",
            "b": f"{row.mean_b:.3f}",
            "change": f"{row.mean_b - row.mean_a:+.3f}",
            "wins": str(row.wins),
            "losses": str(row.losses),
            "p": f"{row.p_value:.4f}" + (" *" if row.significant else ""),
        }
        for row in results
    }
    return Grid(title, "metric", PAIRED_COLUMNS, rows)


def rich_tables(grid: Grid, console: Console) -> list[Table]:
    """The grid as one table, or as several with the label column repeated when it is wider than the console."""
    groups = _column_groups(grid, console)
    if len(groups) == 1:
        return [_table(grid, groups[0], grid.title, console.width)]
    titles = [f"{grid.title} ({n}/{len(groups)})" for n in range(1, len(groups) + 1)]
    return [_table(grid, group, title, console.width) for group, title in zip(groups, titles, strict=True)]


def _column_groups(grid: Grid, console: Console) -> list[list[str]]:
    """As few groups of columns as fit the console, of even size where they still fit (else filled greedily)."""
    keys = list(grid.columns)
    greedy: list[list[str]] = []
    rest = keys
    while rest:
        taken = 1
        while taken < len(rest) and _width(grid, rest[: taken + 1], console) <= console.width:
            taken += 1
        greedy.append(rest[:taken])
        rest = rest[taken:]
    size = -(-len(keys) // len(greedy))
    even = [keys[i : i + size] for i in range(0, len(keys), size)]
    fits = len(even) == len(greedy) and all(_width(grid, group, console) <= console.width for group in even)
    return even if fits else greedy


def _width(grid: Grid, keys: list[str], console: Console) -> int:
    """The width the table asks for, not clamped to the console (a measurement is clamped by its options)."""
    table = _table(grid, keys, grid.title, console.width)
    return Measurement.get(console, console.options.update(max_width=UNBOUNDED), table).maximum


def _table(grid: Grid, keys: list[str], title: str, width: int) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    widest = max((len(label) for label in [grid.label, *grid.rows]), default=0)
    label_width = max(MIN_LABEL_WIDTH, width // 2)  # longer labels wrap (fold), never vanish
    table.add_column(grid.label, overflow="fold", min_width=min(widest, label_width), max_width=label_width)
    for key in keys:
        header = grid.columns[key]
        longest = max(len(line) for line in header.split("\n"))
        table.add_column(header, justify="right", no_wrap=True, min_width=max(5, longest))
    for label, cells in grid.rows.items():
        table.add_row(label, *(cells[key] for key in keys))
    return table


def markdown(grid: Grid) -> str:
    """A GitHub-flavoured Markdown table under a bold title (for pasting into reports)."""
    headers = [grid.label, *(_one_line(header) for header in grid.columns.values())]
    lines = [f"**{_cell(grid.title)}**", "", _line(headers), _line(["---", *["---:"] * len(grid.columns)])]
    lines += [_line([label, *(cells[key] for key in grid.columns)]) for label, cells in grid.rows.items()]
    return "\n".join(lines) + "\n"


def _one_line(header: str) -> str:
    return header.replace("-\n", "").replace("\n", " ")


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

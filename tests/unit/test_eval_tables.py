"""The eval's tables in an ordinary 80-column terminal, and as Markdown (no model, no index)."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from eval.paired import PairedResult
from eval.tables import SUMMARY_PARTS, Grid, markdown, paired_grid, rich_tables, summary_grids

LABELS = ("all", "nyckeltal", "samtal-med-byte", "unanswerable", "sammanfattning och översikt", "#en")
SUMMARY = {"items": 12, "recall@5": 0.5, "latency_p50_ms": 7.25, "hedged": 2, "answered_precision": float("nan")}


def _render(grid: Grid, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    for table in rich_tables(grid, console):
        console.print(table)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 60])
def test_every_label_and_header_shows_whole_at_terminal_width(width: int) -> None:
    grids = summary_grids("analys · hybrid", "type", {label: SUMMARY for label in LABELS})
    for grid, (_, columns) in zip(grids, SUMMARY_PARTS, strict=True):
        text = _render(grid, width)
        lines = text.splitlines()
        assert "…" not in text, text
        assert max(len(line.rstrip()) for line in lines) <= width
        tables = len(re.findall(r"\(\d/\d\)", text)) or 1
        for label in LABELS:  # the label column is repeated in every part of a split table
            assert sum(1 for line in lines if re.match(rf"\s*{re.escape(label)}\s", line)) == tables, (label, text)
        for part in (line for header in columns.values() for line in header.split("\n")):
            assert re.search(rf"(^|\s){re.escape(part)}(\s|$)", text, re.MULTILINE), (part, text)


def test_a_table_too_wide_splits_into_parts_that_fit() -> None:
    (retrieval, *_) = summary_grids("s", "type", {label: SUMMARY for label in LABELS})
    assert "(1/" not in _render(retrieval, 120)
    narrow = _render(retrieval, 50)
    parts = re.findall(r"s · retrieval \((\d)/(\d)\)", narrow)
    assert len(parts) > 1 and [int(n) for n, _ in parts] == list(range(1, len(parts) + 1))
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 50
    assert "12" in narrow and "0.500" in narrow and "n/a" in narrow


def test_paired_table_fits_80_columns() -> None:
    rows = [PairedResult(name, 120, 0.5, 0.625, 14, 3, 0.0123) for name in ("answered_precision", "evidence_coverage")]
    text = _render(paired_grid("readers: new (B) vs old (A), paired randomization test", rows), 80)
    assert "…" not in text and "answered_precision" in text and "0.0123 *" in text and "+0.125" in text


def test_markdown_is_one_pipe_table_per_grid() -> None:
    (_, answers, _) = summary_grids("gold · hybrid", "type", {"all": SUMMARY, "a|b": SUMMARY})
    text = markdown(answers)
    lines = text.splitlines()
    assert lines[0] == "**gold · hybrid · answers**"
    assert lines[2].startswith("| type | answd prec | answd share | cite hit |") and "| integrity |" in lines[2]
    assert lines[3] == "| --- |" + " ---: |" * 7
    assert lines[4].startswith("| all | n/a |") and lines[5].startswith("| a\\|b |")

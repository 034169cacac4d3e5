"""A suite file's rows as plain dicts, from JSONL or from a spreadsheet's CSV with the same columns.

In a CSV, list columns (evidence, history, tags) hold their entries separated by ``|``; an empty
cell is a missing field. The delimiter (comma, semicolon or tab) is detected, and a UTF-8 byte
order mark (as spreadsheets write it) is skipped.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

LIST_COLUMNS = frozenset({"evidence", "history", "tags", "to_complete"})
LIST_SEPARATOR = "|"
CSV_DELIMITERS = ",;\t"


class SuiteFileError(ValueError):
    """A suite file that cannot be read as rows; the message names the line."""


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) for every non-empty row of a .jsonl or .csv suite."""
    text = path.read_text(encoding="utf-8-sig")
    return _csv_rows(path, text) if path.suffix.lower() == ".csv" else _jsonl_rows(path, text)


def _jsonl_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SuiteFileError(f"{path}:{number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise SuiteFileError(f"{path}:{number}: not a JSON object")
        rows.append((number, row))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    header = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | str = csv.Sniffer().sniff(header, delimiters=CSV_DELIMITERS)
    except csv.Error:
        dialect = "excel"  # one column, or nothing to tell from: plain commas
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    fields = [name.strip() for name in reader.fieldnames or []]
    if "question" not in fields:
        raise SuiteFileError(f"{path}:1: a CSV suite needs a header row with at least id and question")
    rows = []
    try:
        for record in reader:
            if None in record:
                raise SuiteFileError(
                    f"{path}:{reader.line_num}: more cells than the header has columns (quote cells with a delimiter)"
                )
            row = _csv_row(fields, list(record.values()))
            if row:
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise SuiteFileError(f"{path}:{reader.line_num}: {error}") from error
    return rows


def _csv_row(fields: list[str], cells: list[str | None]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, raw in zip(fields, cells, strict=True):
        cell = (raw or "").strip()
        if cell:
            row[name] = _split(cell) if name in LIST_COLUMNS else cell
    return row


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]

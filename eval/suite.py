"""Gold suites: Q&A items with exact evidence strings (JSONL or CSV), and their validation.

``type`` and ``tags`` are free labels: the tables have a row for each. Only these carry meaning:
``type: unanswerable`` or ``answerable: false`` (the motion does not answer it: no evidence, and a
plain answer is wrong), ``history`` (earlier user questions, replayed as a conversation) and
``switch: true`` (the same as the ``switch`` tag: the question changes topic).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from eval.relevance import locate
from eval.suite_files import SuiteFileError, read_rows
from index.parse.document import Document

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SUITE_SUFFIXES = (".jsonl", ".csv")
UNLABELLED = "untyped"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class SuiteRow(BaseModel):
    """One row as written: the schema of a suite file, whatever its format."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    id: Text
    question: str
    answer: str = ""
    evidence: list[Text] = Field(default_factory=list)
    type: str = ""
    history: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    switch: bool = False
    answerable: bool | None = None
    to_complete: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answer: str
    evidence: tuple[str, ...]
    type: str
    history: tuple[str, ...] = field(default=())
    tags: tuple[str, ...] = field(default=())
    # Fields an analyst has yet to fill in (items exported from feedback); empty for a finished item.
    to_complete: tuple[str, ...] = field(default=())
    # ``answerable`` as the file states it, if it does; otherwise the ``unanswerable`` type decides.
    stated_answerable: bool | None = None
    unused_fields: tuple[str, ...] = field(default=())

    @property
    def answerable(self) -> bool:
        return self.stated_answerable if self.stated_answerable is not None else self.type != "unanswerable"


class SuiteError(ValueError):
    """A suite file is malformed; the message names the line and the problem."""


def bundled_suites() -> list[str]:
    """The names of the suites that ship with the project ("gold", "heldout", …)."""
    return sorted(path.stem for path in SUITES_DIR.glob("*.jsonl"))


def resolve_suite(name_or_path: str) -> Path:
    """A path, or the name of a bundled suite ("gold", "heldout", "readers")."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = SUITES_DIR / f"{name_or_path}.jsonl"
    if bundled.exists():
        return bundled
    known = ", ".join(bundled_suites())
    raise SuiteError(f"no suite {name_or_path!r} (not a file; bundled suites: {known})")


def load_suite(path: Path) -> list[GoldItem]:
    """Every item of a .jsonl or .csv suite; a malformed row is refused with its line and field."""
    if path.suffix.lower() not in SUITE_SUFFIXES:
        raise SuiteError(f"{path}: a suite is a .jsonl or .csv file")
    try:
        rows = read_rows(path)
    except (SuiteFileError, UnicodeDecodeError) as error:
        raise SuiteError(str(error)) from error
    items = []
    for number, raw in rows:
        try:
            row = SuiteRow.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in error.errors())
            raise SuiteError(f"{path}:{number}: {problems}") from error
        items.append(_item(row))
    return items


def _item(row: SuiteRow) -> GoldItem:
    tags = tuple(row.tags)
    return GoldItem(
        id=row.id,
        question=row.question,
        answer=row.answer,
        evidence=tuple(row.evidence),
        type=row.type.strip() or ("" if row.to_complete else UNLABELLED),
        history=tuple(row.history),
        tags=(*tags, "switch") if row.switch and "switch" not in tags else tags,
        to_complete=tuple(row.to_complete),
        stated_answerable=row.answerable,
        unused_fields=tuple(sorted(row.model_extra or {})),
    )


def validate_suite(items: list[GoldItem], documents: list[Document]) -> list[str]:
    """What makes a suite unusable: duplicate ids, evidence not verbatim in the motion, a broken conversation."""
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{item.id}: duplicate id")
        seen.add(item.id)
        if item.to_complete:
            problems.append(f"{item.id}: to complete by an analyst: {', '.join(item.to_complete)}")
            continue
        if not item.question.strip():
            problems.append(f"{item.id}: empty question")
        if item.stated_answerable and item.type == "unanswerable":
            problems.append(f"{item.id}: 'answerable: true' contradicts the type 'unanswerable'")
        if item.answerable != bool(item.evidence):
            problems.append(f"{item.id}: {'unanswerable items need no' if not item.answerable else 'needs'} evidence")
        if "switch" in item.tags and not item.history:
            problems.append(f"{item.id}: a topic switch needs history (the questions asked before)")
        problems.extend(
            f"{item.id}: evidence not in the motion: {text[:60]!r}"
            for text in item.evidence
            if not any(locate(document.text, text) for document in documents)
        )
    return problems


def suite_notes(items: list[GoldItem]) -> list[str]:
    """What a reader of the results should know about a valid suite: its labels, and what is not scored."""
    labels = Counter(item.type for item in items)
    tags = Counter(tag for item in items for tag in item.tags)
    notes = [f"types: {', '.join(f'{label} {n}' for label, n in sorted(labels.items()))}"]
    if tags:
        notes.append(f"tags: {', '.join(f'{tag} {n}' for tag, n in sorted(tags.items()))}")
    answerable = sum(item.answerable for item in items)
    conversations = [item for item in items if item.history]
    notes.append(f"{answerable} answerable, {len(items) - answerable} unanswerable; {len(conversations)} with history")
    if labels[UNLABELLED]:
        notes.append(f"{labels[UNLABELLED]} item(s) without a type, reported as {UNLABELLED!r}")
    without_answer = [item.id for item in items if item.answerable and not item.answer.strip()]
    if without_answer:
        notes.append(f"no reference answer (answer F1 n/a): {_some(without_answer)}")
    unused = sorted({name for item in items for name in item.unused_fields})
    if unused:
        notes.append(f"fields not used by the evaluation: {', '.join(unused)}")
    return notes


def _some(ids: list[str], shown: int = 8) -> str:
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")

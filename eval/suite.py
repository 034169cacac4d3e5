"""Gold suites: JSONL Q&A items with exact evidence strings, and their validation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.relevance import locate
from index.parse.document import Document

QUESTION_TYPES = frozenset(
    {
        "fact",
        "proposal",
        "overview",
        "definition",
        "reason",
        "source",
        "multi",
        "followup",
        "conversation",
        "switch",
        "unanswerable",
        "english",
        "typo",
    }
)
# Cross-cutting traits reported next to the types: "en" (asked in English), "typo", "switch" (a
# conversation whose last question names a new topic).
ITEM_TAGS = frozenset({"en", "typo", "switch"})
SUITES_DIR = Path(__file__).resolve().parent / "suites"


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

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


class SuiteError(ValueError):
    """A suite file is malformed; the message names the line and the problem."""


def resolve_suite(name_or_path: str) -> Path:
    """A path, or the name of a bundled suite ("gold", "heldout")."""
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = SUITES_DIR / f"{name_or_path}.jsonl"
    if bundled.exists():
        return bundled
    known = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.jsonl")))
    raise SuiteError(f"no suite {name_or_path!r} (not a file; bundled suites: {known})")


def load_suite(path: Path) -> list[GoldItem]:
    items: list[GoldItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(
                GoldItem(
                    id=str(data["id"]),
                    question=str(data["question"]),
                    answer=str(data.get("answer", "")),
                    evidence=tuple(data.get("evidence", [])),
                    type=str(data["type"]),
                    history=tuple(data.get("history", [])),
                    tags=_tags(data),
                    to_complete=tuple(data.get("to_complete", [])),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SuiteError(f"{path}:{number}: {error!r}") from error
    return items


def _tags(data: dict[str, Any]) -> tuple[str, ...]:
    """The item's tags; ``"switch": true`` (a conversation that changes topic) is the ``switch`` tag."""
    tags = tuple(data.get("tags", []))
    return (*tags, "switch") if data.get("switch") is True and "switch" not in tags else tags


def validate_suite(items: list[GoldItem], documents: list[Document]) -> list[str]:
    """Every problem found: schema, duplicate ids, evidence that is not in the motion."""
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{item.id}: duplicate id")
        seen.add(item.id)
        if item.to_complete:
            problems.append(f"{item.id}: to complete by an analyst: {', '.join(item.to_complete)}")
            continue
        if item.type not in QUESTION_TYPES:
            problems.append(f"{item.id}: unknown type {item.type!r}")
        if not item.question.strip():
            problems.append(f"{item.id}: empty question")
        if item.answerable != bool(item.evidence):
            problems.append(f"{item.id}: {'unanswerable items need no' if not item.answerable else 'needs'} evidence")
        if item.type in ("followup", "conversation", "switch") and not item.history:
            problems.append(f"{item.id}: a {item.type} item needs history")
        problems.extend(f"{item.id}: unknown tag {tag!r}" for tag in item.tags if tag not in ITEM_TAGS)
        problems.extend(
            f"{item.id}: evidence not in the motion: {text[:60]!r}"
            for text in item.evidence
            if not any(locate(document.text, text) for document in documents)
        )
    return problems

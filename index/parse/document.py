"""The structured motion: one clean text plus typed spans into it.

Everything downstream (chunks, citations, highlights) points into ``Document.text``
with ``start``/``end`` offsets, so a citation can always be checked by slicing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "yrkande", "footnote"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Block(Span):
    """A heading, body paragraph, proposal (yrkande) or footnote text in the clean text."""

    kind: BlockKind
    section: int
    number: int | None = None
    footnotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section(Span):
    """A heading and its body; ``start``/``end`` cover the heading line only."""

    index: int
    title: str
    parent: str | None = None


@dataclass(frozen=True)
class Footnote(Span):
    """A footnote's text; ``scope`` are the positions in ``Document.sentences`` of the sentences it sources."""

    number: int
    ref_offset: int
    paragraph: int
    scope: tuple[int, ...] = ()


@dataclass(frozen=True)
class Yrkande(Span):
    """A numbered proposal and the body section that argues for it."""

    number: int
    section: int | None


@dataclass(frozen=True)
class Metadata:
    doc_id: str
    title: str
    party: str
    riksmote: str
    language: str = "sv"
    # The party's letter ("V"), as readers also name it; its text seldom writes it so.
    party_abbreviation: str = ""
    # Example questions by language ("sv", "en"), shipped with the motion: the chat and the API docs show them.
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example_questions(self, lang: str) -> list[str]:
        """The examples in ``lang``, or in the motion's own language when there are none in ``lang``."""
        return self.examples.get(lang) or self.examples.get(self.language, [])

    @property
    def year(self) -> int | None:
        """The year the motion was written: the riksmöte's first ("2025/26" → 2025)."""
        found = re.match(r"\s*(\d{4})", self.riksmote)
        return int(found.group(1)) if found else None

    def party_words(self) -> tuple[str, ...]:
        """The party's names a question may use ("Vad vill Vänsterpartiet?", "Vad vill V?")."""
        return tuple(name for name in (self.party, self.party_abbreviation) if name.strip())


@dataclass
class Document:
    meta: Metadata
    text: str
    sections: list[Section]
    blocks: list[Block]
    footnotes: list[Footnote]
    yrkanden: list[Yrkande]
    sentences: list[Span] = field(default_factory=list)
    source_sha256: str = ""

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def section_title(self, index: int | None) -> str:
        return self.sections[index].title if index is not None else ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            meta=Metadata(**data["meta"]),
            text=data["text"],
            sections=[Section(**s) for s in data["sections"]],
            blocks=[Block(**{**b, "footnotes": tuple(b["footnotes"])}) for b in data["blocks"]],
            footnotes=[Footnote(**{**f, "scope": tuple(f["scope"])}) for f in data["footnotes"]],
            yrkanden=[Yrkande(**y) for y in data["yrkanden"]],
            sentences=[Span(**s) for s in data["sentences"]],
            source_sha256=data.get("source_sha256", ""),
        )

"""What an answer is: its text, its outcome, and the exact passages it quotes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.query.language import Language
from index.chunker import Chunk
from index.parse.document import Document

# answered: the quotes answer the question; hedged: the closest passages, said to be only that;
# declined: the motion does not address it (or the question needs context it does not have).
Outcome = Literal["answered", "hedged", "declined"]


@dataclass(frozen=True)
class Citation:
    n: int
    id: str
    doc_id: str
    text: str
    section: str
    start: int
    end: int
    yrkande: int | None = None
    footnote: int | None = None


@dataclass
class Answer:
    text: str
    outcome: Outcome
    language: Language
    citations: list[Citation] = field(default_factory=list)
    see_also: list[Citation] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        """Kept for existing clients: anything but a decline quotes the motion."""
        return self.outcome != "declined"


def passage_citation(n: int, chunk: Chunk) -> Citation:
    return Citation(
        n, chunk.id, chunk.doc_id, chunk.text, chunk.section, chunk.start, chunk.end, chunk.yrkande, chunk.footnote
    )


def indexed_citation(
    n: int, chunk_id: str, start: int, end: int, chunks: dict[str, Chunk], documents: dict[str, Document]
) -> Citation:
    """The citation [n] of ``start:end`` in passage ``chunk_id``, its text and section read from the index.

    ``KeyError`` for a passage the index does not have, ``ValueError`` for offsets outside its document:
    a citation a client sends back (the browser's record, a vote) is rebuilt here, never taken on trust.
    """
    chunk = chunks[chunk_id]
    document = documents[chunk.doc_id]
    if not (n >= 1 and 0 <= start < end <= len(document.text)):
        raise ValueError((n, start, end))
    return Citation(
        n, chunk_id, chunk.doc_id, document.text[start:end], chunk.section, start, end, chunk.yrkande, chunk.footnote
    )

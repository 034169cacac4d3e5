"""Cut a ``Document`` into retrievable chunks that never end inside a sentence.

Body chunks group the parser's own spans, section by section: whole paragraphs while they fit
in ``chunk_size``; a paragraph that does not fit is grouped by its sentences; a sentence longer
than ``chunk_size`` is a chunk of its own, never cut. Offsets come from the spans, so every chunk
is ``document.text[start:end]`` by construction. Every proposal (yrkande) and every footnote is a
chunk of its own.

Why not langchain's ``RecursiveCharacterTextSplitter`` (which this replaced): it returns strings,
and even its ``add_start_index`` recovers offsets with ``str.find``, which can place a repeated
sentence at the wrong occurrence. The grouping keeps that splitter's rules (a piece's length
counts the whitespace up to the next piece, only a piece shorter than the limit is packed,
overlap repeats whole trailing pieces), so the chunks are the ones it cut
(``tests/unit/test_chunker.py`` compares with its bounds). langchain-text-splitters stays a
dependency for the LangChain baseline in ``eval``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from index.parse.document import Block, Document, Span

ChunkKind = Literal["body", "yrkande", "footnote"]


@dataclass(frozen=True)
class Chunk:
    """A citable span of one document, plus the context that helps find it."""

    id: str
    doc_id: str
    kind: ChunkKind
    section: str
    section_index: int
    start: int
    end: int
    text: str
    yrkande: int | None = None
    footnote: int | None = None
    footnotes: tuple[int, ...] = ()
    context: str = ""

    @property
    def search_text(self) -> str:
        """What is embedded and BM25-indexed: heading/context first, then the citable text."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**{**data, "footnotes": tuple(data["footnotes"])})


def chunk_document(document: Document, chunk_size: int, chunk_overlap: int = 0) -> list[Chunk]:
    """Yrkanden, then body chunks section by section, then footnotes.

    ``chunk_overlap`` (at most half of ``chunk_size``) repeats whole sentences or paragraphs.
    """
    overlap = min(chunk_overlap, chunk_size // 2)
    chunks = [_yrkande_chunk(document, block) for block in document.blocks if block.kind == "yrkande"]
    body: list[Chunk] = []
    for section in document.sections:
        body.extend(_body_chunks(document, section.index, chunk_size, overlap, len(body)))
    chunks.extend(body)
    chunks.extend(_footnote_chunk(document, block) for block in document.blocks if block.kind == "footnote")
    return chunks


def sentence_search_texts(document: Document) -> list[str]:
    """Each sentence with its context: the heading, so "Detta bör riksdagen …" still says what it is
    about; for a footnote, the claim it sources, so "where does X come from?" finds it."""
    starts = [b for b in document.blocks if b.kind != "heading"]
    texts, block_iter = [], iter(starts)
    block = next(block_iter)
    for sentence in document.sentences:
        while sentence.start >= block.end:
            block = next(block_iter)
        context = (
            _footnote_context(document, block) if block.kind == "footnote" else _heading_path(document, block.section)
        )
        texts.append(f"{context}\n{document.slice(sentence)}")
    return texts


def _heading_path(document: Document, section_index: int) -> str:
    section = document.sections[section_index]
    return f"{section.parent} – {section.title}" if section.parent else section.title


def _yrkande_chunk(document: Document, block: Block) -> Chunk:
    return Chunk(
        id=f"{document.doc_id}:y{block.number:02d}",
        doc_id=document.doc_id,
        kind="yrkande",
        section=document.section_title(block.section),
        section_index=block.section,
        start=block.start,
        end=block.end,
        text=document.slice(block),
        yrkande=block.number,
        context=f"{document.section_title(block.section)}, yrkande {block.number}",
    )


def _body_chunks(document: Document, section_index: int, size: int, overlap: int, seq: int) -> list[Chunk]:
    paragraphs = [b for b in document.blocks if b.kind == "paragraph" and b.section == section_index]
    if not paragraphs:
        return []

    def sentences(paragraph: _Piece) -> list[_Piece]:
        inside = [s for s in document.sentences if paragraph.start <= s.start and s.end <= paragraph.end]
        return _pieces(inside, paragraph.start + paragraph.length)

    spans = _group(_pieces(paragraphs, paragraphs[-1].end), size, overlap, sentences)
    return [
        Chunk(
            id=f"{document.doc_id}:p{seq + n:03d}",
            doc_id=document.doc_id,
            kind="body",
            section=document.section_title(section_index),
            section_index=section_index,
            start=span.start,
            end=span.end,
            text=document.slice(span),
            footnotes=tuple(f.number for f in document.footnotes if span.start <= f.ref_offset <= span.end),
            context=_heading_path(document, section_index),
        )
        for n, span in enumerate(spans)
    ]


@dataclass(frozen=True)
class _Piece(Span):
    """A paragraph or sentence to pack: its text is ``[start, end)``; ``length`` counts the
    whitespace up to the next piece too, as the size limit always has."""

    length: int


def _pieces(spans: Sequence[Span], stop: int) -> list[_Piece]:
    """Consecutive spans as pieces; the last one reaches to ``stop``."""
    ends = [s.start for s in spans[1:]] + [stop]
    return [_Piece(s.start, s.end, length=end - s.start) for s, end in zip(spans, ends, strict=True)]


def _group(pieces: list[_Piece], size: int, overlap: int, finer: Callable[[_Piece], list[_Piece]] | None) -> list[Span]:
    """Runs of pieces shorter than ``size`` are packed together; a longer piece is grouped by its
    ``finer`` parts (a paragraph by its sentences), or stands alone when it has none."""
    spans: list[Span] = []
    run: list[_Piece] = []
    for piece in pieces:
        if piece.length < size:
            run.append(piece)
            continue
        spans += _pack(run, size, overlap)
        run = []
        spans += _group(finer(piece), size, overlap, None) if finer else [Span(piece.start, piece.end)]
    return spans + _pack(run, size, overlap)


def _pack(pieces: list[_Piece], size: int, overlap: int) -> list[Span]:
    """Consecutive pieces, at most ``size`` characters a chunk; the next chunk starts with the
    trailing pieces of the last one that fit in ``overlap`` characters (and leave room)."""
    spans: list[Span] = []
    current: list[_Piece] = []
    total = 0
    for piece in pieces:
        if current and total + piece.length > size:
            spans.append(Span(current[0].start, current[-1].end))
            while total > overlap or (total + piece.length > size and total > 0):
                total -= current.pop(0).length
        current.append(piece)
        total += piece.length
    if current:
        spans.append(Span(current[0].start, current[-1].end))
    return spans


def _footnote_chunk(document: Document, block: Block) -> Chunk:
    """A footnote is found through the sentences it sources, so they are its context."""
    return Chunk(
        id=f"{document.doc_id}:f{block.number:02d}",
        doc_id=document.doc_id,
        kind="footnote",
        section=document.section_title(block.section),
        section_index=block.section,
        start=block.start,
        end=block.end,
        text=document.slice(block),
        footnote=block.number,
        context=_footnote_context(document, block),
    )


def _footnote_context(document: Document, block: Block) -> str:
    footnote = next(f for f in document.footnotes if f.number == block.number)
    citing = " ".join(document.slice(document.sentences[i]) for i in footnote.scope)
    return f"Fotnot {block.number} – källa till: {citing}"

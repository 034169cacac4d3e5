"""Cut a ``Document`` into retrievable chunks that never end inside a sentence.

Body text is split per section with langchain's ``RecursiveCharacterTextSplitter``,
whose separators are paragraph breaks and then the Swedish sentence-break regex
(and nothing finer), so an over-long sentence stays whole rather than being cut.
Every proposal (yrkande) and every footnote is a chunk of its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.parse.document import Block, Document
from index.text.sentences import SENTENCE_BREAK

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
    """Yrkanden, then body chunks section by section, then footnotes."""
    splitter = RecursiveCharacterTextSplitter(
        separators=["\n\n", SENTENCE_BREAK],
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=min(chunk_overlap, chunk_size // 2),
        strip_whitespace=True,
    )
    chunks = [_yrkande_chunk(document, block) for block in document.blocks if block.kind == "yrkande"]
    body: list[Chunk] = []
    for section in document.sections:
        body.extend(_body_chunks(document, section.index, splitter, len(body)))
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


def _body_chunks(
    document: Document, section_index: int, splitter: RecursiveCharacterTextSplitter, seq: int
) -> list[Chunk]:
    paragraphs = [b for b in document.blocks if b.kind == "paragraph" and b.section == section_index]
    if not paragraphs:
        return []
    base = paragraphs[0].start
    section_text = document.text[base : paragraphs[-1].end]
    chunks: list[Chunk] = []
    cursor = 0
    # langchain returns an over-long single split unstripped, so strip here for exact sentence bounds.
    for piece in filter(None, (p.strip() for p in splitter.split_text(section_text))):
        offset = section_text.find(piece, cursor)
        start, end = base + offset, base + offset + len(piece)
        cursor = offset + 1
        refs = tuple(f.number for f in document.footnotes if start <= f.ref_offset <= end)
        chunks.append(
            Chunk(
                id=f"{document.doc_id}:p{seq + len(chunks):03d}",
                doc_id=document.doc_id,
                kind="body",
                section=document.section_title(section_index),
                section_index=section_index,
                start=start,
                end=end,
                text=piece,
                footnotes=refs,
                context=_heading_path(document, section_index),
            )
        )
    return chunks


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
    citing = " ".join(document.slice(s) for s in document.footnote_scope(footnote))
    return f"Fotnot {block.number} – källa till: {citing}"

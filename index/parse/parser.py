"""Parse the docx-to-text export of a motion into a ``Document``.

The export marks headings with ``[bookmark: _Toc…]`` (``_Hlk`` bookmarks are only
anchors), footnote references with ``[footnoteRef:N]`` and footnote texts inline as
``[N: …]`` (possibly across a line break). The clean text drops every marker, keeps
the motion's own wording, and lists the footnote texts after the body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from index.parse.document import Block, Document, Footnote, Metadata, Section, Span, Yrkande
from index.text.sentences import sentence_spans

PROPOSALS_HEADING = "Förslag till riksdagsbeslut"
BLOCK_SEPARATOR = "\n\n"

_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*(.*?)\]", re.DOTALL)
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_BOOKMARK = re.compile(r"\[bookmark: (_\w+)\]")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-zåäöéü]{4,}")
_MAX_UNMARKED_HEADING = 80


class ParseError(ValueError):
    """The text does not look like a motion export this parser understands."""


@dataclass
class _Line:
    text: str
    refs: list[tuple[int, int]]  # (footnote number, offset in text)
    heading: bool


def parse_motion(raw: str, meta: Metadata) -> Document:
    """Structure a motion export; raises ``ParseError`` when its shape is not recognised."""
    footnote_texts = {int(n): _collapse(text) for n, text in _FOOTNOTE_TEXT.findall(raw)}
    lines = [_clean_line(line) for line in _FOOTNOTE_TEXT.sub("", raw).splitlines()]
    lines = [line for line in lines if line.text]
    if not lines or lines[0].text != PROPOSALS_HEADING:
        raise ParseError(f"expected the motion to start with the heading {PROPOSALS_HEADING!r}")

    builder = _Builder(meta)
    for line in lines:
        builder.add(line)
    builder.add_footnotes(footnote_texts)
    document = builder.finish()
    document.source_sha256 = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return document


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _clean_line(raw_line: str) -> _Line:
    """Drop bookmarks and footnote markers, remembering where each reference stood."""
    heading = any(name.startswith("_Toc") for name in _BOOKMARK.findall(raw_line))
    pieces = _FOOTNOTE_REF.split(_BOOKMARK.sub("", raw_line))
    text, refs = "", []
    for i, piece in enumerate(pieces):
        if i % 2:
            refs.append((int(piece), len(text.rstrip())))
            continue
        piece = _WHITESPACE.sub(" ", piece)
        if text.endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        text += piece
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    refs = [(n, min(max(pos - lead, 0), len(text))) for n, pos in refs]
    return _Line(text=text, refs=refs, heading=heading or _looks_like_unmarked_heading(text))


def _looks_like_unmarked_heading(text: str) -> bool:
    """``Inledning`` carries no bookmark: a short line with no closing punctuation is a heading."""
    return 0 < len(text) <= _MAX_UNMARKED_HEADING and text[-1] not in '.!?:;,”")' and text[0].isupper()


class _Builder:
    """Accumulates the clean text and the spans that point into it."""

    def __init__(self, meta: Metadata) -> None:
        self.meta = meta
        self.text = ""
        self.sections: list[Section] = []
        self.blocks: list[Block] = []
        self.footnotes: list[Footnote] = []
        self.yrkanden: list[Yrkande] = []
        self._pending_parent: str | None = None

    def _append(self, text: str) -> int:
        if self.text:
            self.text += BLOCK_SEPARATOR
        start = len(self.text)
        self.text += text
        return start

    def add(self, line: _Line) -> None:
        start = self._append(line.text)
        end = start + len(line.text)
        if line.heading:
            self._add_heading(line.text, start, end)
            return
        section = len(self.sections) - 1
        self._pending_parent = None
        if self.sections[section].title == PROPOSALS_HEADING:
            number = len(self.yrkanden) + 1
            self.yrkanden.append(Yrkande(start=start, end=end, number=number, section=None))
            self.blocks.append(Block(start=start, end=end, kind="yrkande", section=section, number=number))
            return
        paragraph = len(self.blocks)
        self.blocks.append(
            Block(start, end, kind="paragraph", section=section, footnotes=tuple(n for n, _ in line.refs))
        )
        self.footnotes.extend(
            Footnote(start=0, end=0, number=n, ref_offset=start + pos, paragraph=paragraph) for n, pos in line.refs
        )

    def _add_heading(self, title: str, start: int, end: int) -> None:
        index = len(self.sections)
        previous = self.blocks[-1] if self.blocks else None
        parent = self._pending_parent if previous is not None and previous.kind == "heading" else None
        self.sections.append(Section(start=start, end=end, index=index, title=title, parent=parent))
        self.blocks.append(Block(start=start, end=end, kind="heading", section=index))
        self._pending_parent = title

    def add_footnotes(self, texts: dict[int, str]) -> None:
        """Append each footnote text after the body, as a block of its own."""
        referenced = {f.number: f for f in self.footnotes}
        if set(referenced) != set(texts):
            raise ParseError(f"footnote references {sorted(set(referenced) ^ set(texts))} have no text or no reference")
        placed = []
        for number in sorted(texts):
            ref = referenced[number]
            start = self._append(texts[number])
            end = start + len(texts[number])
            section = self.blocks[ref.paragraph].section
            placed.append(Footnote(start, end, number=number, ref_offset=ref.ref_offset, paragraph=ref.paragraph))
            self.blocks.append(Block(start, end, kind="footnote", section=section, number=number))
        self.footnotes = placed

    def finish(self) -> Document:
        if not self.yrkanden:
            raise ParseError(f"no proposals found under {PROPOSALS_HEADING!r}")
        # A footnote is a reference entry ("Brå. Rapport 2013:8."): one unit, not sentences.
        sentences = [
            Span(s, e)
            for block in self.blocks
            if block.kind != "heading"
            for s, e in (
                [(block.start, block.end)]
                if block.kind == "footnote"
                else sentence_spans(self.text[block.start : block.end], block.start)
            )
        ]
        document = Document(
            meta=self.meta,
            text=self.text,
            sections=self.sections,
            blocks=self.blocks,
            footnotes=self.footnotes,
            yrkanden=self.yrkanden,
            sentences=sentences,
        )
        document.yrkanden = [_link_to_section(document, y) for y in self.yrkanden]
        document.footnotes = [replace(f, scope=_footnote_scope(document, f)) for f in self.footnotes]
        return document


def _footnote_scope(document: Document, footnote: Footnote, max_sentences: int = 4) -> tuple[int, ...]:
    """The sentences a footnote sources: back from its marker to the previous marker in the same
    paragraph (or the paragraph start), at most ``max_sentences``; else the one its marker is in."""
    paragraph = document.blocks[footnote.paragraph]
    floor = max(
        (
            f.ref_offset
            for f in document.footnotes
            if f.paragraph == footnote.paragraph and f.ref_offset < footnote.ref_offset
        ),
        default=paragraph.start,
    )
    # A previous marker is in the paragraph, so the floor never reaches before it.
    scope = [i for i, s in enumerate(document.sentences) if s.start >= floor and s.end <= footnote.ref_offset]
    marked = [i for i, s in enumerate(document.sentences) if s.start < footnote.ref_offset <= s.end]
    return tuple(scope[-max_sentences:] or marked[:1])


def _link_to_section(document: Document, yrkande: Yrkande) -> Yrkande:
    """Find the body section whose sentence restates this proposal (most shared words)."""
    words = set(_WORD.findall(document.slice(yrkande).lower()))
    best_score, best_section = 0.0, None
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        for s, e in sentence_spans(document.slice(block), block.start):
            other = set(_WORD.findall(document.text[s:e].lower()))
            score = len(words & other) / (len(words | other) or 1)
            if score > best_score:
                best_score, best_section = score, block.section
    return Yrkande(start=yrkande.start, end=yrkande.end, number=yrkande.number, section=best_section)

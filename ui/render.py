"""HTML for the chat UI: header, yrkanden, answer text and the sources panel.

Pure functions of the assistant's data (no Gradio), so they are easy to test and every
piece of motion text passes through ``html.escape`` exactly once, here.
"""

from __future__ import annotations

import re
from html import escape

from assistant.answer import Answer, Citation
from index.chunker import Chunk
from index.parse.document import Document

CONTEXT_CHARS = 350
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]#|~])")
_CITATION_MARK = re.compile(r"\\\[(\d+)\\\]")

EMPTY_SOURCES = (
    '<div class="mq-sources-empty"><h3>Källor</h3>'
    "<p>Här visas de stycken ur motionen som varje svar bygger på, med den citerade meningen markerad. "
    "Öppna ”Visa sammanhang” för att läsa texten runt omkring.</p></div>"
)
SEARCHING = '<div class="mq-sources-empty"><h3>Källor</h3><p class="mq-searching">Söker i motionen …</p></div>'


def header_html(documents: list[Document]) -> str:
    """Which motion this is: title, party, riksmöte; and that answers are quotes."""
    lines = []
    for document in documents:
        meta = document.meta
        lines.append(
            f'<h1 class="mq-title">{escape(meta.title)}</h1>'
            f'<p class="mq-meta">Motion från <strong>{escape(meta.party)}</strong>, '
            f"riksmöte {escape(meta.riksmote)} · {len(document.yrkanden)} yrkanden</p>"
        )
    lines.append(
        '<p class="mq-intro">Ställ frågor om motionen på svenska eller engelska. Svaren är ordagranna citat '
        "ur motionen; siffrorna [1], [2] … hänvisar till källorna. "
        '<a href="/docs" target="_blank" rel="noopener">API-dokumentation</a></p>'
    )
    return f'<header class="mq-header">{"".join(lines)}</header>'


def yrkanden_html(document: Document) -> str:
    """The motion's numbered proposals, each with the section that argues for it."""
    items = []
    for yrkande in document.yrkanden:
        section = document.section_title(yrkande.section)
        where = f'<span class="mq-yrkande-section">Avsnitt: {escape(section)}</span>' if section else ""
        items.append(
            f'<li value="{yrkande.number}"><span class="mq-yrkande-text">{escape(document.slice(yrkande))}</span>'
            f"{where}</li>"
        )
    return f'<ol class="mq-yrkanden">{"".join(items)}</ol>'


def answer_markdown(text: str) -> str:
    """Answer text safe for the Chatbot's Markdown renderer; ``[n]`` markers set in bold."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escape(text, quote=False))
    return _CITATION_MARK.sub(r"**\\[\1\\]**", escaped)


def see_also_line(answer: Answer) -> str:
    """For an abstention: the closest passages named in the chat itself, not only in the panel."""
    if not answer.see_also:
        return ""
    names = "; ".join(f"[{c.n}] {_label(c)}" for c in answer.see_also)
    return f"\n\nSe även: {names}"


SOURCE_TITLES = {"answered": "Källor", "hedged": "Närmast i motionen", "declined": "Se även – de närmaste avsnitten"}


def turn_html(question: str, answer: Answer, documents: dict[str, Document], chunks: dict[str, Chunk]) -> str:
    """The sources of one answer, one card per passage (every cited sentence in it marked); for a
    decline the closest passages."""
    title = SOURCE_TITLES[answer.outcome]
    if answer.answerable:
        by_passage: dict[str, list[Citation]] = {}
        for citation in answer.citations:
            by_passage.setdefault(citation.id, []).append(citation)
        cards = [source_html(cited, documents[cited[0].doc_id], chunks.get(pid)) for pid, cited in by_passage.items()]
    else:
        cards = [source_html([c], documents[c.doc_id], chunks.get(c.id), highlight=False) for c in answer.see_also]
    kind = "mq-turn" if answer.answerable else "mq-turn mq-abstained"
    return (
        f'<section class="{kind}"><h3>{title}</h3>'
        f'<p class="mq-question">Fråga: {escape(question)}</p>{"".join(cards)}</section>'
    )


def sources_html(turns: list[str]) -> str:
    """The newest answer's sources open on top; earlier answers folded below."""
    if not turns:
        return EMPTY_SOURCES
    *older, newest = turns
    folded = "".join(
        f'<details class="mq-older"><summary>Tidigare svar {i}</summary>{turn}</details>'
        for i, turn in reversed(list(enumerate(older, start=1)))
    )
    return f'<div class="mq-sources">{newest}{folded}</div>'


def source_html(cited: list[Citation], document: Document, chunk: Chunk | None, highlight: bool = True) -> str:
    """One passage: heading, the passage with each cited stretch marked, and its context."""
    first = cited[0]
    start = min([c.start for c in cited] + ([chunk.start] if chunk else []))
    end = max([c.end for c in cited] + ([chunk.end] if chunk else []))
    marks = sorted((c.start, c.end) for c in cited) if highlight else []
    passage = _marked(document.text, start, end, marks)
    before = _context_before(document.text, start)
    after = _context_after(document.text, end)
    numbers = " ".join(f"[{c.n}]" for c in cited)
    return (
        f'<article class="mq-source" data-n="{" ".join(str(c.n) for c in cited)}">'
        f'<h4><span class="mq-n">{numbers}</span> {escape(_label(first))}</h4>'
        f'<blockquote class="mq-passage">{passage}</blockquote>'
        f'<details class="mq-context"><summary>Visa sammanhang i motionen</summary>'
        f'<div class="mq-context-text"><span class="mq-around">{escape(before)}</span>'
        f'<span class="mq-here">{passage}</span><span class="mq-around">{escape(after)}</span></div>'
        f"</details></article>"
    )


def _label(citation: Citation) -> str:
    parts = [citation.section]
    if citation.yrkande is not None:
        parts.append(f"yrkande {citation.yrkande}")
    if citation.footnote is not None:
        parts.append(f"fotnot {citation.footnote}")
    return " · ".join(parts)


def _marked(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """``text[start:end]`` escaped, with each (sorted, non-overlapping) cited stretch wrapped in ``<mark>``."""
    pieces, cursor = [], start
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(cursor, mark_start), min(end, mark_end)
        if mark_start >= mark_end:
            continue
        pieces.append(f"{escape(text[cursor:mark_start])}<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    return "".join(pieces) + escape(text[cursor:end])


def _context_before(text: str, start: int) -> str:
    begin = max(0, start - CONTEXT_CHARS)
    piece = text[begin:start]
    if begin > 0:
        cut = piece.find(" ")
        piece = "…" + piece[cut + 1 :] if 0 <= cut < 40 else "…" + piece
    return piece


def _context_after(text: str, end: int) -> str:
    stop = min(len(text), end + CONTEXT_CHARS)
    piece = text[end:stop]
    if stop < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > len(piece) - 40 else piece) + "…"
    return piece

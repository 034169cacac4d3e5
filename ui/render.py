"""HTML for the sources panel ("Källor").

Pure functions of the assistant's data (no Gradio), so they are easy to test and every piece of
motion text passes through ``html.escape`` exactly once, here or in the other ``ui`` renderers.
Ids and ``data-*`` attributes are what ``ui/static/chat.js`` navigates by: a citation ``[n]`` of
turn ``t`` points at ``#mq-src-t-k`` (k: the first number on its card).
"""

from __future__ import annotations

from html import escape

from assistant.answer import Answer, Citation
from index.chunker import Chunk
from index.parse.document import Document
from ui.i18n import text
from ui.stored import StoredTurn

CONTEXT_CHARS = 350
QUESTION_SHOWN_CHARS = 140  # a long question is cut in the panel (it is in the chat in full)


def citation_label(citation: Citation, lang: str) -> str:
    """Where a quote is: its section, and the yrkande or footnote it belongs to."""
    return " · ".join([citation.section, *_numbering(citation, lang)])


def citation_label_html(citation: Citation, lang: str, motion_lang: str) -> str:
    """``citation_label`` as HTML: the section's title marked as the motion's language."""
    title = f'<span lang="{escape(motion_lang)}">{escape(citation.section)}</span>'
    return " · ".join([title, *map(escape, _numbering(citation, lang))])


def _numbering(citation: Citation, lang: str) -> list[str]:
    parts = []
    if citation.yrkande is not None:
        parts.append(text(lang, "yrkande", n=citation.yrkande))
    if citation.footnote is not None:
        parts.append(text(lang, "footnote", n=citation.footnote))
    return parts


def source_groups(answer: Answer) -> list[list[Citation]]:
    """The cards of an answer: one per passage, holding every citation into it (a decline: its see-also)."""
    if not answer.answerable:
        return [[c] for c in answer.see_also]
    by_passage: dict[str, list[Citation]] = {}
    for citation in answer.citations:
        by_passage.setdefault(citation.id, []).append(citation)
    return list(by_passage.values())


def card_anchor(turn_id: int, cited: list[Citation]) -> str:
    return f"mq-src-{turn_id}-{cited[0].n}"


def citation_targets(turn_id: int, answer: Answer) -> dict[int, str]:
    """Citation number -> the id of the card that shows it."""
    return {c.n: card_anchor(turn_id, group) for group in source_groups(answer) for c in group}


def sources_html(
    turns: list[StoredTurn],
    documents: dict[str, Document],
    chunks: dict[str, Chunk],
    lang: str,
    searching: bool = False,
) -> str:
    """The newest answer's sources open on top; earlier answers folded below, each named by its question."""
    status = f'<p class="mq-searching" role="status">{escape(text(lang, "searching"))}</p>' if searching else ""
    if not turns:
        return (
            f'<div class="mq-sources mq-sources-empty"><h2>{escape(text(lang, "sources"))}</h2>{status}'
            f"<p>{escape(text(lang, 'sources_empty'))}</p></div>"
        )
    *older, newest = turns
    folded = "".join(
        f'<details class="mq-older" data-turn="{turn.id}"><summary>'
        f"{escape(text(lang, 'earlier_answer', n=position, question=_shortened(turn.question)))}</summary>"
        f"{turn_sources_html(turn, documents, chunks, lang, heading='h3')}</details>"
        for position, turn in reversed(list(enumerate(older, start=1)))
    )
    return f'<div class="mq-sources">{status}{turn_sources_html(newest, documents, chunks, lang)}{folded}</div>'


def turn_sources_html(
    turn: StoredTurn, documents: dict[str, Document], chunks: dict[str, Chunk], lang: str, heading: str = "h2"
) -> str:
    """The sources of one answer: one card per passage (every cited sentence in it marked); for a
    decline the closest passages."""
    answer = turn.answer
    title = text(lang, "sources" if answer.outcome == "answered" else answer.outcome)
    card_heading = "h3" if heading == "h2" else "h4"
    cards = "".join(
        source_html(
            turn.id, group, documents[group[0].doc_id], chunks.get(group[0].id), lang, answer.answerable, card_heading
        )
        for group in source_groups(answer)
    )
    kind = "mq-turn-sources" if answer.answerable else "mq-turn-sources mq-abstained"
    return (
        f'<section class="{kind}" data-turn="{turn.id}" aria-label="{escape(title)}">'
        f"<{heading}>{escape(title)}</{heading}>"
        f'<p class="mq-question">{escape(text(lang, "question_prefix"))}: {escape(_shortened(turn.question))}</p>'
        f"{cards}</section>"
    )


def source_html(
    turn_id: int,
    cited: list[Citation],
    document: Document,
    chunk: Chunk | None,
    lang: str,
    highlight: bool = True,
    heading: str = "h3",
) -> str:
    """One passage: heading, the passage with each cited stretch marked, its context, and a way into the motion."""
    first = cited[0]
    start = min([c.start for c in cited] + ([chunk.start] if chunk else []))
    end = max([c.end for c in cited] + ([chunk.end] if chunk else []))
    marks = sorted((c.start, c.end) for c in cited) if highlight else []
    passage = _marked(document.text, start, end, marks)
    before = _context_before(document.text, start)
    after = _context_after(document.text, end)
    numbers = " ".join(f"[{c.n}]" for c in cited)
    focus_start = min(c.start for c in cited)
    focus_end = max(c.end for c in cited)
    motion_lang = escape(document.meta.language)
    return (
        f'<article class="mq-source" id="{card_anchor(turn_id, cited)}" tabindex="-1" '
        f'data-ns="{" ".join(str(c.n) for c in cited)}">'
        f'<{heading}><span class="mq-n">{numbers}</span> {citation_label_html(first, lang, motion_lang)}</{heading}>'
        f'<blockquote class="mq-passage" lang="{motion_lang}">{passage}</blockquote>'
        f'<div class="mq-card-tools">'
        f'<button type="button" class="mq-link" data-action="document" data-doc="{escape(document.doc_id)}" '
        f'data-start="{focus_start}" data-end="{focus_end}">{escape(text(lang, "open_in_motion"))}</button>'
        f'<details class="mq-context"><summary>{escape(text(lang, "show_context"))}</summary>'
        f'<div class="mq-context-text" lang="{motion_lang}"><span class="mq-around">{escape(before)}</span>'
        f'<span class="mq-here">{passage}</span><span class="mq-around">{escape(after)}</span></div>'
        f"</details></div></article>"
    )


def _shortened(question: str) -> str:
    question = " ".join(question.split())
    if len(question) <= QUESTION_SHOWN_CHARS:
        return question
    cut = question.rfind(" ", 0, QUESTION_SHOWN_CHARS)
    return question[: cut if cut > QUESTION_SHOWN_CHARS // 2 else QUESTION_SHOWN_CHARS] + " …"


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

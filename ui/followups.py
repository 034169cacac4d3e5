"""Suggested next steps, drawn from where the last answer sits in the motion — never invented.

From the answer's first quoted passage: the yrkande its section argues (for a quoted yrkande, the
section that argues it), the footnote a quoted claim rests on, and the next section. Each is worded
in the interface's language from the motion's numbers and headings; a heading is quoted as the
motion's own words («…»), never fitted into a sentence as if it were a phrase. A step is offered as
a question only when the assistant answers that question from the very place it names; otherwise
it opens that place in the motion view. Never the introduction, never a question already asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer import Answer
from index.chunker import Chunk
from index.parse.document import Document
from ui.document_view import footnote_anchor, section_anchor, yrkande_anchor
from ui.i18n import text

MAX_FOLLOWUPS = 3
Ask = Callable[[str], Answer]  # a question → the assistant's answer (stateless)


@dataclass(frozen=True)
class FollowUp:
    label: str  # what the button says
    anchor: str  # the place in the motion view
    question: str | None = None  # asked when chosen; None: the place is opened instead
    heading: str | None = None  # a heading quoted in ``label``, in the motion's language


@dataclass(frozen=True)
class _Place:
    """A place worth going next: how to ask about it, how to open it, and how to tell an answer is from it."""

    anchor: str
    opened: str  # the label for opening it
    question: str | None = None
    heading: str | None = None
    lands: Callable[[Answer], bool] = lambda answer: False


def follow_ups(
    answer: Answer,
    asked: list[str],
    documents: dict[str, Document],
    chunks: dict[str, Chunk],
    lang: str,
    ask: Ask | None = None,
) -> list[FollowUp]:
    """At most three next steps from the answer's first quoted passage, in ``lang``."""
    if not answer.answerable or not answer.citations:
        return []
    chunk = chunks.get(answer.citations[0].id)
    if chunk is None:
        return []
    document = documents[chunk.doc_id]
    places = [*_argued(answer, chunk, document, chunks, lang), *_footnote(answer, document, lang)]
    if chunk.yrkande is None and chunk.footnote is None:
        places += _next_section(document, chunk.section_index, chunks, lang)
    seen = {_key(q) for q in asked}
    steps: list[FollowUp] = []
    for place in places:
        if place.question is not None and _key(place.question) in seen:
            continue
        seen.add(_key(place.question or place.opened))
        if place.question is not None and ask is not None and place.lands(ask(place.question)):
            steps.append(FollowUp(place.question, place.anchor, place.question, place.heading))
        else:
            steps.append(FollowUp(place.opened, place.anchor, heading=place.heading))
    return steps[:MAX_FOLLOWUPS]


def _argued(answer: Answer, chunk: Chunk, document: Document, chunks: dict[str, Chunk], lang: str) -> list[_Place]:
    """A quoted yrkande: the section arguing it; a quoted section: the (first uncited) yrkande it argues."""
    if chunk.yrkande is not None:
        number = chunk.yrkande
        section = next((y.section for y in document.yrkanden if y.number == number), None)
        if section is None or section == _introduction(document):
            return []
        title = document.sections[section].title
        return [
            _Place(
                section_anchor(section),
                text(lang, "followup_reasons_open", n=number, heading=title),
                text(lang, "followup_reasons_q", n=number),
                title,
                lambda reply: _from_section(reply, section, chunks),
            )
        ]
    cited = {c.yrkande for c in answer.citations}
    argued = [y.number for y in document.yrkanden if y.section == chunk.section_index and y.number not in cited]
    if not argued:
        return []
    number = argued[0]
    return [
        _Place(
            yrkande_anchor(number),
            text(lang, "followup_yrkande_open", n=number),
            text(lang, "followup_yrkande_q", n=number),
            lands=lambda reply: _answered(reply) and reply.citations[0].yrkande == number,
        )
    ]


def _footnote(answer: Answer, document: Document, lang: str) -> list[_Place]:
    """The first footnote whose sourced sentences include a quoted one (a quoted footnote itself is skipped)."""
    quoted = [(c.start, c.end) for c in answer.citations if c.footnote is None]
    for footnote in document.footnotes:
        for span in (document.sentences[position] for position in footnote.scope):
            if any(start < span.end and span.start < end for start, end in quoted):
                return [_Place(footnote_anchor(footnote.number), text(lang, "followup_footnote", n=footnote.number))]
    return []


def _next_section(document: Document, index: int, chunks: dict[str, Chunk], lang: str) -> list[_Place]:
    """The following section with text of its own (the proposals list, empty parents and the introduction skipped)."""
    body = _body_sections(document)
    following = [i for i in body if i > index and i != body[0]] if index in body else []
    if not following:
        return []
    section = document.sections[following[0]]
    return [
        _Place(
            section_anchor(section.index),
            text(lang, "followup_next_open", heading=section.title),
            text(lang, "followup_section_q", heading=section.title),
            section.title,
            lambda reply: _from_section(reply, section.index, chunks),
        )
    ]


def _body_sections(document: Document) -> list[int]:
    return sorted({b.section for b in document.blocks if b.kind == "paragraph"})


def _introduction(document: Document) -> int | None:
    """The first section with text of its own: the motion's introduction, which answers nothing in particular."""
    body = _body_sections(document)
    return body[0] if body else None


def _answered(reply: Answer) -> bool:
    return reply.outcome == "answered" and bool(reply.citations)


def _from_section(reply: Answer, section: int, chunks: dict[str, Chunk]) -> bool:
    """Answered, and its first quote is from ``section``'s own text."""
    first = chunks.get(reply.citations[0].id) if _answered(reply) else None
    return first is not None and first.section_index == section and first.yrkande is None


def _key(question: str) -> str:
    return " ".join(question.lower().split())

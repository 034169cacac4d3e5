"""Suggested follow-ups, drawn from where the last answer sits in the motion — never invented.

From the section the answer quotes: the yrkande that section argues (asked as "what does the
motion propose about <section>?", which the assistant answers with that yrkande), or, for a quoted
yrkande, the section that argues it; the footnote a quoted claim rests on (opened in the document
view: the assistant does not look footnotes up by number); and the next section of the motion.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Answer
from index.chunker import Chunk
from index.parse.document import Document
from ui.i18n import text

MAX_FOLLOWUPS = 3


@dataclass(frozen=True)
class FollowUp:
    label: str
    question: str | None = None  # asked when chosen
    footnote: tuple[str, int] | None = None  # (doc id, number): opened in the document view


def follow_ups(
    answer: Answer, asked: list[str], documents: dict[str, Document], chunks: dict[str, Chunk]
) -> list[FollowUp]:
    """At most three next steps from the answer's first quoted passage; none already asked."""
    if not answer.answerable or not answer.citations:
        return []
    lang = answer.language
    first = answer.citations[0]
    chunk = chunks.get(first.id)
    if chunk is None:
        return []
    document = documents[chunk.doc_id]
    cited_yrkanden = {c.yrkande for c in answer.citations if c.yrkande is not None}
    found: list[FollowUp] = []

    if chunk.yrkande is not None:
        argued = next((y.section for y in document.yrkanden if y.number == chunk.yrkande), None)
        if argued is not None:
            found.append(_about(lang, document.sections[argued].title))
    else:
        argued_here = [y for y in document.yrkanden if y.section == chunk.section_index]
        if argued_here and not cited_yrkanden & {y.number for y in argued_here}:
            topic = _topic(document.sections[chunk.section_index].title)
            found.append(_asked(text(lang, "followup_proposal", topic=topic)))

    footnote = _footnote_behind(answer, document)
    if footnote is not None:
        found.append(FollowUp(text(lang, "followup_footnote", n=footnote), footnote=(document.doc_id, footnote)))

    neighbour = _next_section(document, chunk.section_index)
    if neighbour is not None:
        found.append(_about(lang, neighbour))

    seen = {" ".join(q.lower().split()) for q in asked}
    unique: list[FollowUp] = []
    for item in found:
        key = " ".join((item.question or item.label).lower().split())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique[:MAX_FOLLOWUPS]


def _asked(question: str) -> FollowUp:
    return FollowUp(question, question=question)


def _about(lang: str, title: str) -> FollowUp:
    return _asked(text(lang, "followup_section", topic=_topic(title)))


def _topic(title: str) -> str:
    """A heading as the object of a sentence: lower-case first letter unless it starts a name ("IPVI")."""
    return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title


def _footnote_behind(answer: Answer, document: Document) -> int | None:
    """The first footnote whose sourced sentences include a quoted one (a quoted footnote itself is skipped)."""
    quoted = [(c.start, c.end) for c in answer.citations if c.footnote is None]
    for footnote in document.footnotes:
        for span in (document.sentences[position] for position in footnote.scope):
            if any(start < span.end and span.start < end for start, end in quoted):
                return footnote.number
    return None


def _next_section(document: Document, index: int) -> str | None:
    """The following body section with text of its own (the proposals list and empty parents skipped)."""
    body_sections = {b.section for b in document.blocks if b.kind == "paragraph"}
    for section in document.sections[index + 1 :]:
        if section.index in body_sections:
            return section.title
    return None

"""HTML for the conversation: questions, answers whose ``[n]`` are links to their source cards,
and under each answer its tools (copy, thumbs up/down with an optional comment) and, under the
latest, the suggested follow-ups.

The answer being streamed is rendered by ``live_html`` into its own small component, so each
streamed word sends one turn, not the whole conversation.
"""

from __future__ import annotations

import re
from html import escape

from assistant.answer import Answer
from index.chunker import Chunk
from index.parse.document import Document
from ui.followups import FollowUp, follow_ups
from ui.i18n import text
from ui.render import citation_label, citation_targets
from ui.stored import StoredTurn

_CITATION_MARK = re.compile(r"\[(\d+)\]")
# Drawn, not emoji: a machine without an emoji font shows emoji as empty boxes.
_THUMB = (
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24"{flip}>'
    '<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" '
    'd="M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7"/></svg>'
)
THUMB_UP = _THUMB.format(flip="")
THUMB_DOWN = _THUMB.format(flip=' style="transform: scaleY(-1)"')


def log_html(
    turns: list[StoredTurn],
    documents: dict[str, Document],
    chunks: dict[str, Chunk],
    lang: str,
    examples: list[str],
) -> str:
    """The finished turns; with none, a short invitation and example questions to start from."""
    if not turns:
        buttons = "".join(
            f'<li><button type="button" class="mq-suggestion" data-action="ask" data-question="{escape(q)}">'
            f"{escape(q)}</button></li>"
            for q in examples
        )
        return (
            f'<div class="mq-empty"><p>{escape(text(lang, "empty_chat"))}</p>'
            f'<h2 class="mq-small-heading" id="mq-examples-h">{escape(text(lang, "try_asking"))}</h2>'
            f'<ul class="mq-suggestions" aria-labelledby="mq-examples-h">{buttons}</ul></div>'
        )
    asked = [t.question for t in turns]
    rendered = []
    for position, turn in enumerate(turns):
        latest = position == len(turns) - 1
        extras = _tools(turn, lang)
        if latest:
            extras += _followups(follow_ups(turn.answer, asked, documents, chunks), lang)
        rendered.append(turn_html(turn.id, turn.question, turn.answer, lang, extras))
    return "".join(rendered)


def live_html(turn_id: int, question: str, answer_text: str | None, lang: str) -> str:
    """The question being answered and the answer so far (``None``: still searching)."""
    if answer_text is None:
        body = f'<p class="mq-searching">{escape(text(lang, "searching"))}</p>'
    else:
        body = _paragraphs(answer_text, {}, turn_id)
    return _turn_frame(turn_id, question, body, lang, " mq-streaming")


def turn_html(turn_id: int, question: str, answer: Answer, lang: str, extras: str = "") -> str:
    """One finished question and answer; each ``[n]`` links to its card in the sources panel."""
    targets = citation_targets(turn_id, answer)
    labels = {c.n: citation_label(c, lang) for c in [*answer.citations, *answer.see_also]}
    links = {n: (targets[n], labels.get(n, "")) for n in targets}
    body = _paragraphs(answer.text, links, turn_id)
    if not answer.answerable and answer.see_also:
        names = "; ".join(f"[{c.n}] {c.section}" for c in answer.see_also)
        body += _paragraphs(f"{text(lang, 'see_also')}: {names}", links, turn_id)
    return _turn_frame(turn_id, question, body + extras, lang, "")


def copy_text(answer: Answer, lang: str) -> str:
    """The answer as plain text for the clipboard: its words, then each quote with where it stands."""
    lines = [answer.text.strip(), "", text(lang, "sources") + ":"]
    for citation in answer.citations or answer.see_also:
        quote = " ".join(citation.text.split())
        lines.append(f"[{citation.n}] {citation_label(citation, lang)}: ”{quote}”")
    return "\n".join(lines)


def _turn_frame(turn_id: int, question: str, body: str, lang: str, extra_class: str) -> str:
    return (
        f'<article class="mq-exchange{extra_class}" id="mq-turn-{turn_id}" data-turn="{turn_id}" '
        f'aria-labelledby="mq-q-{turn_id}">'
        f'<div class="mq-user"><h2 class="mq-sr-only">{escape(text(lang, "you_asked"))}</h2>'
        f'<p id="mq-q-{turn_id}">{escape(question)}</p></div>'
        f'<div class="mq-bot"><h2 class="mq-sr-only">{escape(text(lang, "answer"))}</h2>{body}</div></article>'
    )


def _paragraphs(answer_text: str, targets: dict[int, tuple[str, str]], turn_id: int) -> str:
    """Escaped answer text, one paragraph a line, with ``[n]`` as links where the card is known."""

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in targets:
            return f'<span class="mq-cite-pending">[{n}]</span>'
        anchor, label = targets[n]
        return (
            f'<a class="mq-cite" href="#{anchor}" data-action="cite" data-turn="{turn_id}" data-n="{n}" '
            f'aria-label="[{n}] {escape(label)}">[{n}]</a>'
        )

    paragraphs = [line for line in answer_text.split("\n") if line.strip()]
    return "".join(f"<p>{_CITATION_MARK.sub(link, escape(line, quote=False))}</p>" for line in paragraphs)


def _tools(turn: StoredTurn, lang: str) -> str:
    """Copy, and thumbs up/down (pressed once given); after a thumb, an optional comment."""
    pressed = {value: "true" if turn.feedback == value else "false" for value in ("up", "down")}
    tools = (
        f'<div class="mq-tools" data-turn="{turn.id}">'
        f'<button type="button" class="mq-tool" data-action="copy" aria-label="{escape(text(lang, "copy_label"))}" '
        f'data-copy="{escape(copy_text(turn.answer, lang))}">{escape(text(lang, "copy"))}</button>'
        f'<button type="button" class="mq-tool mq-thumb" data-action="feedback" data-value="up" '
        f'aria-pressed="{pressed["up"]}" aria-label="{escape(text(lang, "good"))}" '
        f'title="{escape(text(lang, "good"))}">{THUMB_UP}</button>'
        f'<button type="button" class="mq-tool mq-thumb" data-action="feedback" data-value="down" '
        f'aria-pressed="{pressed["down"]}" aria-label="{escape(text(lang, "bad"))}" '
        f'title="{escape(text(lang, "bad"))}">{THUMB_DOWN}</button></div>'
    )
    if turn.feedback:
        tools += f'<p class="mq-thanks" role="status">{escape(text(lang, "thanks"))}</p>'
    if turn.feedback and not turn.commented:
        label = text(lang, "comment_label" if turn.feedback == "down" else "comment_label_good")
        tools += (
            f'<form class="mq-comment" data-turn="{turn.id}" data-value="{turn.feedback}">'
            f'<label for="mq-comment-{turn.id}">{escape(label)}</label>'
            f'<textarea id="mq-comment-{turn.id}" rows="2" maxlength="2000"></textarea>'
            f'<button type="submit" class="mq-tool">{escape(text(lang, "send_comment"))}</button></form>'
        )
    return tools


def _followups(items: list[FollowUp], lang: str) -> str:
    if not items:
        return ""
    buttons = []
    for item in items:
        if item.question is not None:
            action = f'data-action="ask" data-question="{escape(item.question)}"'
        else:
            doc_id, number = item.footnote or ("", 0)
            action = f'data-action="footnote" data-doc="{escape(doc_id)}" data-footnote="{number}"'
        buttons.append(f'<li><button type="button" class="mq-suggestion" {action}>{escape(item.label)}</button></li>')
    return (
        f'<nav class="mq-followups" aria-label="{escape(text(lang, "followups"))}">'
        f'<p class="mq-small-heading" aria-hidden="true">{escape(text(lang, "followups"))}</p>'
        f'<ul class="mq-suggestions">{"".join(buttons)}</ul></nav>'
    )

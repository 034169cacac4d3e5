"""HTML for the conversation: questions, answers whose ``[n]`` are links to their source cards,
and under each answer its tools (copy, thumbs up/down with an optional comment, confirmed once
saved) and, under the latest, the suggested follow-ups. Answers and questions carry their
language; in an answer in another language than the motion's, the quotes carry the motion's.

The answer being streamed is rendered by ``live_html`` into its own small component, so each
streamed word sends one turn, not the whole conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from assistant.answer import Answer
from index.chunker import Chunk
from index.parse.document import Document
from ui.followups import Ask, FollowUp, follow_ups
from ui.i18n import text
from ui.render import citation_label, citation_targets
from ui.stored import StoredTurn

_CITATION_MARK = re.compile(r"\[(\d+)\]")
_NAMED = re.compile(r"«([^«»<>]+)»")  # a name the answer quotes, such as a section's title
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
    examples: list[tuple[str, str]],
    ask: Ask | None = None,
) -> str:
    """The finished turns; with none, a short invitation and the motion's example questions
    (``(question, its language)``). ``ask`` lets the follow-ups check that a suggested question is answered."""
    if not turns:
        buttons = "".join(
            f'<li><button type="button" class="mq-suggestion" data-action="ask" data-question="{escape(q)}" '
            f'lang="{escape(q_lang)}">{escape(q)}</button></li>'
            for q, q_lang in examples
        )
        return (
            f'<div class="mq-empty"><p>{escape(text(lang, "empty_chat"))}</p>'
            f'<h2 class="mq-small-heading" id="mq-examples-h">{escape(text(lang, "try_asking"))}</h2>'
            f'<ul class="mq-suggestions" aria-labelledby="mq-examples-h">{buttons}</ul></div>'
        )
    asked = [t.question for t in turns]
    rendered = []
    for position, turn in enumerate(turns):
        motion_lang = _motion_language(turn.answer, documents)
        extras = _tools(turn, lang)
        if position == len(turns) - 1:
            steps = follow_ups(turn.answer, asked, documents, chunks, lang, ask)
            extras += _followups(steps, lang, motion_lang)
        rendered.append(turn_html(turn.id, turn.question, turn.answer, lang, extras, motion_lang))
    return "".join(rendered)


def live_html(turn_id: int, question: str, answer_text: str | None, lang: str) -> str:
    """The question being answered and the answer so far (``None``: still searching)."""
    if answer_text is None:
        body = f'<p class="mq-searching">{escape(text(lang, "searching"))}</p>'
    else:
        body = _paragraphs(answer_text, {}, turn_id)
    return _turn_frame(turn_id, question, body, lang, " mq-streaming")


def turn_html(
    turn_id: int, question: str, answer: Answer, lang: str, extras: str = "", motion_lang: str | None = None
) -> str:
    """One finished question and answer; each ``[n]`` links to its card in the sources panel.

    An answer in another language than the motion's (``motion_lang``) quotes it: each quoted
    sentence is marked as a quotation in the motion's language, set apart from the answer's own words.
    """
    targets = citation_targets(turn_id, answer)
    labels = {c.n: citation_label(c, lang) for c in [*answer.citations, *answer.see_also]}
    links = {n: (targets[n], labels.get(n, "")) for n in targets}
    quoting = motion_lang if motion_lang and motion_lang != answer.language else None
    body = _paragraphs(answer.text, links, turn_id, [c.text for c in answer.citations], quoting)
    if not answer.answerable and answer.see_also:
        names = "; ".join(
            f"{_cite_link(c.n, links, turn_id)} {_in_language(escape(c.section), motion_lang)}" for c in answer.see_also
        )
        body += f"<p>{escape(text(lang, 'see_also'))}: {names}</p>"
    return _turn_frame(turn_id, question, body, lang, "", answer.language, extras)


def copy_text(answer: Answer, lang: str) -> str:
    """The answer as plain text for the clipboard: its words, then each quote with where it stands."""
    lines = [answer.text.strip(), "", text(lang, "sources") + ":"]
    for citation in answer.citations or answer.see_also:
        quote = " ".join(citation.text.split())
        lines.append(f"[{citation.n}] {citation_label(citation, lang)}: ”{quote}”")
    return "\n".join(lines)


def _turn_frame(
    turn_id: int, question: str, body: str, lang: str, extra_class: str, spoken: str | None = None, extras: str = ""
) -> str:
    """A question and its answer (``spoken``: their language, once known), then the answer's tools."""
    marked = f' lang="{escape(spoken)}"' if spoken else ""
    return (
        f'<article class="mq-exchange{extra_class}" id="mq-turn-{turn_id}" data-turn="{turn_id}" '
        f'aria-labelledby="mq-q-{turn_id}">'
        f'<div class="mq-user"><h2 class="mq-sr-only">{escape(text(lang, "you_asked"))}</h2>'
        f'<p id="mq-q-{turn_id}"{marked}>{escape(question)}</p></div>'
        f'<div class="mq-bot" tabindex="-1"><h2 class="mq-sr-only">{escape(text(lang, "answer"))}</h2>'
        f'<div class="mq-answer"{marked}>{body}</div>{extras}</div></article>'
    )


def _paragraphs(
    answer_text: str,
    targets: dict[int, tuple[str, str]],
    turn_id: int,
    quotes: list[str] | None = None,
    quote_lang: str | None = None,
) -> str:
    """Escaped answer text, one paragraph a line, with ``[n]`` as links where the card is known.

    With ``quote_lang``, each of ``quotes`` found in a line is a ``<q>`` in that language, a line holding
    one is set apart (``mq-quoted``), and the «names» in the other lines are marked as that language too.
    """
    paragraphs = []
    for line in (line for line in answer_text.split("\n") if line.strip()):
        spans = _quote_spans(line, quotes or []) if quote_lang else []
        if not spans:
            content = _linked(line, targets, turn_id)
            paragraphs.append(f"<p>{_NAMED.sub(_named(quote_lang), content) if quote_lang else content}</p>")
            continue
        pieces, cursor = [], 0
        for start, end in spans:
            pieces.append(_linked(line[cursor:start], targets, turn_id))
            pieces.append(f'<q lang="{escape(quote_lang or "")}">{_linked(line[start:end], targets, turn_id)}</q>')
            cursor = end
        rest = _linked(line[cursor:], targets, turn_id)
        pieces.append(_NAMED.sub(_named(quote_lang), rest))
        paragraphs.append(f'<p class="mq-quoted">{"".join(pieces)}</p>')
    return "".join(paragraphs)


def _quote_spans(line: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Where the quoted sentences stand in ``line``: sorted, never overlapping."""
    spans: list[tuple[int, int]] = []
    for quote in sorted({q for q in quotes if q.strip()}, key=len, reverse=True):
        start = line.find(quote)
        while start >= 0:
            end = start + len(quote)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
                break
            start = line.find(quote, start + 1)
    return sorted(spans)


def _linked(piece: str, targets: dict[int, tuple[str, str]], turn_id: int) -> str:
    return _CITATION_MARK.sub(lambda m: _cite_link(int(m.group(1)), targets, turn_id), escape(piece, quote=False))


def _cite_link(n: int, targets: dict[int, tuple[str, str]], turn_id: int) -> str:
    if n not in targets:
        return f'<span class="mq-cite-pending">[{n}]</span>'
    anchor, label = targets[n]
    return (
        f'<a class="mq-cite" href="#{anchor}" data-action="cite" data-turn="{turn_id}" data-n="{n}" '
        f'aria-label="[{n}] {escape(label)}">[{n}]</a>'
    )


def _named(lang: str | None) -> Callable[[re.Match[str]], str]:
    """A «name» (a section's title in the answer's own words) marked as the motion's language."""
    return lambda match: f"«{_in_language(match.group(1), lang)}»"


def _in_language(html: str, lang: str | None) -> str:
    return f'<span lang="{escape(lang)}">{html}</span>' if lang else html


def _motion_language(answer: Answer, documents: dict[str, Document]) -> str | None:
    cited = [*answer.citations, *answer.see_also]
    document = documents.get(cited[0].doc_id) if cited else next(iter(documents.values()), None)
    return document.meta.language if document else None


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
        thanks = ("mq-thanks mq-saved", "comment_saved") if turn.commented else ("mq-thanks", "thanks")
        tools += f'<p class="{thanks[0]}" role="status">{escape(text(lang, thanks[1]))}</p>'
    if turn.feedback and not turn.commented:
        label = text(lang, "comment_label" if turn.feedback == "down" else "comment_label_good")
        tools += (
            f'<form class="mq-comment" data-turn="{turn.id}" data-value="{turn.feedback}">'
            f'<label for="mq-comment-{turn.id}">{escape(label)}</label>'
            f'<textarea id="mq-comment-{turn.id}" rows="2" maxlength="2000"></textarea>'
            f'<button type="submit" class="mq-tool">{escape(text(lang, "send_comment"))}</button></form>'
        )
    return tools


def _followups(items: list[FollowUp], lang: str, motion_lang: str | None) -> str:
    """Questions are asked when chosen; the other steps open their place in the motion view."""
    if not items:
        return ""
    buttons = []
    for item in items:
        if item.question is not None:
            action = f'data-action="ask" data-question="{escape(item.question)}"'
        else:
            action = f'data-action="open" data-target="{escape(item.anchor)}"'
        label = escape(item.label)
        if item.heading:
            quoted = f"«{escape(item.heading)}»"
            label = label.replace(quoted, f"«{_in_language(escape(item.heading), motion_lang)}»", 1)
        buttons.append(f'<li><button type="button" class="mq-suggestion" {action}>{label}</button></li>')
    return (
        f'<nav class="mq-followups" aria-label="{escape(text(lang, "followups"))}">'
        f'<p class="mq-small-heading" aria-hidden="true">{escape(text(lang, "followups"))}</p>'
        f'<ul class="mq-suggestions">{"".join(buttons)}</ul></nav>'
    )

"""The page's frame around the conversation: header, the side panel's bar, the phone's navigation,
the footer under the question box (refusals, the character count, the API link) and the
(browser-filled) queue.

Pure functions of the motion's metadata and the interface language. Ids and ``data-action``
attributes are what ``ui/static/chat.js`` works with; it fills the notice line, the queue and the
current section itself, so these render empty.
"""

from __future__ import annotations

from html import escape

from index.parse.document import Document
from ui.i18n import text

# Screen-reader announcements (polite) and the connection banner (assertive), outside every scroller.
STATUS_HTML = (
    '<div id="mq-status" class="mq-sr-only" role="status" aria-live="polite"></div>'
    '<div id="mq-connection" class="mq-banner" role="alert" hidden></div>'
)


def header_html(documents: list[Document], lang: str) -> str:
    """Which motion this is (its title in its own language), and that answers are quotes one can check."""
    lines = []
    for document in documents:
        meta = document.meta
        lines.append(
            f'<h1 class="mq-title" lang="{escape(meta.language)}">{escape(meta.title)}</h1>'
            f'<p class="mq-meta">{text(lang, "meta", party=escape(meta.party), riksmote=escape(meta.riksmote), n=len(document.yrkanden))}</p>'  # noqa: E501
        )
    return f'<header class="mq-header">{"".join(lines)}<p class="mq-intro">{escape(text(lang, "intro"))}</p></header>'


def panel_bar_html(lang: str) -> str:
    """The side panel's bar, kept in view while the panel scrolls: its two tabs, the way back to the
    conversation (on a phone: closing the sheet) and, in the motion, the section being read."""
    tabs = "".join(
        f'<button type="button" role="tab" id="mq-tab-{view}" data-action="tab" data-view="{view}" '
        f'aria-selected="{str(view == "sources").lower()}" tabindex="{0 if view == "sources" else -1}">'
        f"{text(lang, key)}</button>"
        for view, key in (("sources", "tab_sources"), ("document", "tab_document"))
    )
    return (
        f'<div class="mq-panel-bar">'
        f'<div class="mq-tablist" role="tablist" aria-label="{escape(text(lang, "side_panel"))}">{tabs}</div>'
        f'<button type="button" class="mq-to-chat" id="mq-to-chat" data-action="to-chat" aria-keyshortcuts="Escape">'
        f'<span class="mq-wide">{escape(text(lang, "to_chat"))}</span>'
        f'<span class="mq-narrow">{escape(text(lang, "close"))}</span></button>'
        f'<p class="mq-current" id="mq-current" hidden></p></div>'
    )


def phone_nav_html(lang: str) -> str:
    """On a phone the side panel is a sheet: these open it (chat.js adds the number of sources)."""
    return (
        f'<nav class="mq-phone-nav" aria-label="{escape(text(lang, "side_panel"))}">'
        f'<button type="button" id="mq-phone-sources" data-action="open-panel" data-view="sources">'
        f"{escape(text(lang, 'tab_sources'))}</button>"
        f'<button type="button" id="mq-phone-document" data-action="open-panel" data-view="document">'
        f"{escape(text(lang, 'tab_document'))}</button></nav>"
    )


def footer_html(lang: str, max_chars: int) -> str:
    """Under the question box: refusals in words (empty, too long, a server's refusal) and the character
    count near the limit, both written by chat.js; and, out of the citizens' way, the API's documentation."""
    return (
        f'<div class="mq-bottom"><div class="mq-notice" id="mq-notice" data-limit="{max_chars}">'
        f'<p id="mq-refusal" class="mq-refusal" role="alert"></p>'
        f'<p id="mq-count" class="mq-count" hidden></p></div>'
        f'<footer class="mq-footer"><a href="/docs" target="_blank" rel="noopener">'
        f"{escape(text(lang, 'api_docs'))}</a></footer></div>"
    )


QUEUE_HTML = '<ol id="mq-queue" class="mq-queue" hidden></ol>'

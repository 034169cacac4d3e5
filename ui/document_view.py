"""The motion itself, beside the answer: a table of contents and the whole text.

Every stretch of text is a ``<span data-s data-e>`` carrying its offsets into ``Document.text``
(cut at sentence boundaries and footnote markers), so the browser can highlight exactly what a
citation quotes (``start``/``end``) without asking the server. Yrkanden link to the section that
argues them; footnote markers link to the footnote and back. The motion's text is marked with its
own language (``lang``), the interface's words around it with the interface's.
"""

from __future__ import annotations

import itertools
import re
from html import escape

from index.parse.document import Block, Document
from ui.i18n import text

# The standard wording around every yrkande: the table of contents shows what is proposed.
_YRKANDE_OPENING = re.compile(r"^Riksdagen ställer sig bakom det som anförs i motionen om (att )?")
_YRKANDE_CLOSING = re.compile(r",? och tillkännager detta för regeringen\.?$")
TOC_YRKANDE_CHARS = 110


def section_anchor(index: int) -> str:
    return f"mq-doc-sec-{index}"


def yrkande_anchor(number: int) -> str:
    return f"mq-doc-y-{number}"


def footnote_anchor(number: int) -> str:
    return f"mq-doc-fn-{number}"


def document_html(document: Document, lang: str) -> str:
    """Contents and text of one motion, all anchors prefixed by ``mq-doc-``."""
    return (
        f'<div class="mq-doc" data-doc="{escape(document.doc_id)}">'
        f'<h2 class="mq-sr-only" lang="{_lang(document)}">{escape(document.meta.title)}</h2>'
        f"{_contents(document, lang)}"
        f'<div class="mq-doc-text">{_body(document, lang)}</div></div>'
    )


def yrkande_summary(text_of_yrkande: str) -> str:
    core = _YRKANDE_CLOSING.sub("", _YRKANDE_OPENING.sub("", text_of_yrkande.strip()))
    if len(core) > TOC_YRKANDE_CHARS:
        core = core[: core.rfind(" ", 0, TOC_YRKANDE_CHARS)] + " …"
    return core


def _contents(document: Document, lang: str) -> str:
    motion = _lang(document)
    sections = "".join(
        f"<li{' class=mq-toc-sub' if s.parent else ''}>"
        f'<a href="#{section_anchor(s.index)}" data-action="goto" lang="{motion}">{escape(s.title)}</a></li>'
        for s in document.sections
    )
    yrkanden = "".join(
        f'<li value="{y.number}"><a href="#{section_anchor(y.section if y.section is not None else 0)}" '
        f'data-action="goto" data-yrkande="{y.number}" lang="{motion}">'
        f"{escape(yrkande_summary(document.slice(y)))}</a></li>"
        for y in document.yrkanden
    )
    footnotes = "".join(
        f'<li value="{f.number}"><a href="#{footnote_anchor(f.number)}" data-action="goto" lang="{motion}">'
        f"{escape(_cut(document.slice(f), 80))}</a></li>"
        for f in document.footnotes
    )
    return (
        f'<nav class="mq-toc" aria-labelledby="mq-toc-h"><h3 id="mq-toc-h">{escape(text(lang, "contents"))}</h3>'
        f"<details open><summary>{escape(text(lang, 'toc_sections'))} ({len(document.sections)})</summary>"
        f"<ol>{sections}</ol></details>"
        f"<details><summary>{escape(text(lang, 'toc_yrkanden'))} ({len(document.yrkanden)})</summary>"
        f'<ol class="mq-toc-yrkanden">{yrkanden}</ol></details>'
        f"<details><summary>{escape(text(lang, 'toc_footnotes'))} ({len(document.footnotes)})</summary>"
        f'<ol class="mq-toc-footnotes">{footnotes}</ol></details></nav>'
    )


def _body(document: Document, lang: str) -> str:
    motion = _lang(document)
    parts: list[str] = []
    in_yrkanden = False
    footnote_items: list[str] = []
    for block in document.blocks:
        if block.kind != "yrkande" and in_yrkanden:
            parts.append("</ol>")
            in_yrkanden = False
        if block.kind == "heading":
            section = document.sections[block.section]
            tag = "h5" if section.parent else "h4"
            parts.append(
                f'<{tag} id="{section_anchor(section.index)}" tabindex="-1" lang="{motion}">'
                f"{_spans(document, block, lang)}</{tag}>"
            )
        elif block.kind == "yrkande":
            if not in_yrkanden:
                parts.append('<ol class="mq-doc-yrkanden">')
                in_yrkanden = True
            parts.append(_yrkande_item(document, block, lang))
        elif block.kind == "footnote":
            footnote_items.append(
                f'<li id="{footnote_anchor(block.number or 0)}" value="{block.number}" tabindex="-1" lang="{motion}">'
                f"{_spans(document, block, lang)} "
                f'<a class="mq-back" href="#mq-doc-fnref-{block.number}" data-action="goto" lang="{lang}">'
                f"{escape(text(lang, 'back_to_text'))}</a></li>"
            )
        else:
            parts.append(f'<p id="mq-doc-b-{block.start}" lang="{motion}">{_spans(document, block, lang)}</p>')
    if in_yrkanden:
        parts.append("</ol>")
    if footnote_items:
        parts.append(
            f'<h4 id="mq-doc-footnotes" tabindex="-1">{escape(text(lang, "toc_footnotes"))}</h4>'
            f'<ol class="mq-doc-footnotes">{"".join(footnote_items)}</ol>'
        )
    return "".join(parts)


def _yrkande_item(document: Document, block: Block, lang: str) -> str:
    number = block.number or 0
    yrkande = next((y for y in document.yrkanden if y.number == number), None)
    argued = ""
    motion = _lang(document)
    if yrkande is not None and yrkande.section is not None:
        title = f'<span lang="{motion}">{escape(document.sections[yrkande.section].title)}</span>'
        argued = (
            f' <a class="mq-argued" href="#{section_anchor(yrkande.section)}" data-action="goto" lang="{lang}">'
            f"{text(lang, 'argued_in', section=title)}</a>"
        )
    return (
        f'<li id="{yrkande_anchor(number)}" value="{number}" tabindex="-1" lang="{motion}">'
        f"{_spans(document, block, lang)}{argued}</li>"
    )


def _spans(document: Document, block: Block, lang: str) -> str:
    """The block's text as offset-carrying spans, with a marker link after each footnote reference."""
    markers = {f.ref_offset: f.number for f in document.footnotes if block.start < f.ref_offset <= block.end}
    inside = [s for s in document.sentences if block.start <= s.start < block.end]
    cuts = sorted({block.start, block.end, *markers} | {p for s in inside for p in (s.start, min(s.end, block.end))})
    out = []
    for start, end in itertools.pairwise(cuts):
        out.append(f'<span data-s="{start}" data-e="{end}">{escape(document.text[start:end])}</span>')
        if end in markers:
            number = markers[end]
            out.append(
                f'<sup><a class="mq-fn-ref" id="mq-doc-fnref-{number}" href="#mq-doc-fn-{number}" data-action="goto" '
                f'aria-label="{escape(text(lang, "footnote", n=number))}">{number}</a></sup>'
            )
    return "".join(out)


def _lang(document: Document) -> str:
    return escape(document.meta.language)


def _cut(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: value.rfind(" ", 0, limit)] + " …"

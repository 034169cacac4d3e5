"""How the motion is quoted: a sentence (with the one it leans on), a passage, a yrkande's own words.

Every quote is a slice of the document's text with its offsets, so a citation can always be checked.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import Answer, Citation
from assistant.query.language import Language
from assistant.read import messages
from assistant.retrieve.corpus_map import CorpusMap

# The standard Riksdag formula around a proposal (a rule of the genre, not of one motion):
# "Riksdagen ställer sig bakom det som anförs i motionen om att <core>, och tillkännager detta för regeringen."
_YRKANDE_CORE = re.compile(
    r"(?:anförs i motionen om (?:att )?)(?P<core>.+?)(?:,? och (?:detta )?tillkännager (?:detta )?|,? och detta "
    r"tillkännager riksdagen)",
    re.DOTALL,
)


def sentence_citation(n: int, sentence: int, chunk_position: int, corpus: CorpusMap) -> Citation:
    """The sentence, extended back to the one it refers to when it opens with "Detta …", "Därför …"."""
    ref = corpus.sentences[sentence]
    start = ref.span.start
    previous = corpus.previous_in_paragraph(sentence)
    if corpus.sentence_traits[sentence].anaphoric_opening and previous is not None:
        start = corpus.sentences[previous].span.start
    chunk = corpus.chunks[chunk_position]
    document = corpus.documents[ref.doc_id]
    return Citation(
        n=n,
        id=chunk.id,
        doc_id=ref.doc_id,
        text=document.text[start : ref.span.end],
        section=chunk.section,
        start=start,
        end=ref.span.end,
        yrkande=chunk.yrkande,
        footnote=chunk.footnote,
    )


def yrkande_answer(
    language: Language, corpus: CorpusMap, chunks: list[int], lead: str, continues_lead: bool = False
) -> Answer:
    """Numbered yrkanden, each quoted by its core clause, with the section that argues it.

    ``continues_lead``: one yrkande whose lead already names it ("Yrkande 3 av 21 föreslår att …").
    """
    single = continues_lead and len(chunks) == 1
    lines, citations = [lead], []
    for n, position in enumerate(chunks, start=1):
        chunk = corpus.chunks[position]
        document = corpus.documents[chunk.doc_id]
        start, end = core_span(chunk.text, chunk.start)
        section = corpus.argued_section.get(position)
        argued = document.section_title(section) if section is not None else None
        text = document.text[start:end]
        citations.append(Citation(n, chunk.id, chunk.doc_id, text, chunk.section, start, end, chunk.yrkande))
        lines.append(messages.yrkande_line(language, None if single else chunk.yrkande or 0, text, n, argued))
    return Answer((" " if single else "\n").join(lines), "answered", language, citations=citations)


def core_span(text: str, offset: int) -> tuple[int, int]:
    """Offsets of the proposal's own words inside the standard formula (the whole text if it differs)."""
    match = _YRKANDE_CORE.search(text)
    if match is None:
        return offset, offset + len(text)
    return offset + match.start("core"), offset + match.end("core")


def merge_overlaps(quotes: list[Citation], corpus: CorpusMap) -> list[Citation]:
    """One quote per stretch of text (a sentence pulled in as context is not quoted twice), numbered 1…n."""
    merged: list[Citation] = []
    for quote in quotes:
        same = next((i for i, m in enumerate(merged) if _overlap(m, quote)), None)
        if same is None:
            merged.append(quote)
            continue
        kept = merged[same]
        start, end = min(kept.start, quote.start), max(kept.end, quote.end)
        text = corpus.documents[kept.doc_id].text[start:end]
        merged[same] = replace(kept, text=text, start=start, end=end)
    return [replace(q, n=n) for n, q in enumerate(merged, start=1)]


def _overlap(a: Citation, b: Citation) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end

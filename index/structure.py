"""The motion's own numbering as lookups: yrkanden and footnotes by number, back-references resolved,
and the words it uses (forms and lemmas), so a question's words can be checked against them.

Every rule here is about the genre of a Riksdag motion (numbered proposals, numbered footnotes whose
text may only point back with "A.a." or "Se not 12"), never about one motion's topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import simplemma

from index.chunker import Chunk
from index.parse.document import Document

# A footnote whose whole text points back: "A.a.", "A.a. s. 12", "Ibid.", "Se not 12", "Jfr fotnot 3".
_SAME_AS_BEFORE = re.compile(
    r"^\s*(?:a\.\s?a\.?|anf\.\s?arb\.?|ibid(?:em)?\.?|d:o|dito)(?:,?\s*s\.\s*[\d–-]+)?\.?\s*$", re.I
)
_SEE_NOTE = re.compile(r"^\s*(?:se|jfr|see|cf\.?)\s+(?:fot)?not(?:e)?\s+(\d+)(?:,?\s*s\.\s*[\d–-]+)?\.?\s*$", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FOLD = str.maketrans("åäöéü", "aaoeu")


def fold(word: str) -> str:
    """Lower case with Swedish letters folded to ASCII, so "gomda" (typed without ö) meets "gömda"."""
    return word.lower().translate(_FOLD)


def numbered_chunks(chunks: list[Chunk], kind: str) -> list[tuple[str, int, int]]:
    """(document, number, chunk position) of every yrkande or footnote chunk, in index order."""
    found = []
    for position, chunk in enumerate(chunks):
        number = chunk.yrkande if kind == "yrkande" else chunk.footnote
        if chunk.kind == kind and number is not None:
            found.append((chunk.doc_id, number, position))
    return found


def footnote_targets(documents: list[Document], chunks: list[Chunk]) -> dict[int, int]:
    """Footnote chunk -> the footnote chunk its back-reference resolves to ("A.a." -> the one before,
    followed through chains of them; "Se not 12" -> footnote 12). Footnotes with a source of their own
    are not listed."""
    by_id = {d.doc_id: d for d in documents}
    position_of = {(doc, number): position for doc, number, position in numbered_chunks(chunks, "footnote")}
    pointer: dict[tuple[str, int], int] = {}
    for document in documents:
        for footnote in document.footnotes:
            text = by_id[document.doc_id].slice(footnote)
            see = _SEE_NOTE.match(text)
            if see:
                pointer[document.doc_id, footnote.number] = int(see.group(1))
            elif _SAME_AS_BEFORE.match(text) and footnote.number > 1:
                pointer[document.doc_id, footnote.number] = footnote.number - 1
    targets: dict[int, int] = {}
    for (doc, number), _ in sorted(pointer.items()):
        seen, target = {number}, pointer[doc, number]
        while (doc, target) in pointer and target not in seen:  # "A.a." after "A.a." points further back
            seen.add(target)
            target = pointer[doc, target]
        if (doc, number) in position_of and (doc, target) in position_of and target not in seen:
            targets[position_of[doc, number]] = position_of[doc, target]
    return targets


def word_forms(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The folded word forms the motion uses, and their folded Swedish lemmas (simplemma)."""
    words = {w.lower() for text in texts for part in _WORD.findall(text) for w in (part, *part.split("-"))}
    return frozenset(map(fold, words)), frozenset(fold(simplemma.lemmatize(word, lang="sv")) for word in words)

"""Swedish sentence boundaries as one regular expression.

The parser cuts every paragraph into sentences with it once; chunks, sentence
vectors and quoted evidence are all built from those spans, so a chunk can never
end inside a sentence that the answer composer would quote whole.
"""

from __future__ import annotations

import re
from pathlib import Path

# Abbreviations that end in a period but rarely end a sentence in Swedish official prose, kept as data.
# Each becomes a fixed-width negative lookbehind (Python needs fixed width per lookbehind).
ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.txt")
ABBREVIATIONS = tuple(
    word
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines()
    if (word := line.split("#", 1)[0].strip())
)


_NOT_AFTER_ABBREVIATION = "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS)
_NOT_AFTER_INITIAL = r"(?<!\b[A-ZÅÄÖ]\.)"
_SENTENCE_END = r"(?:(?<=[.!?])|(?<=[.!?][”\"»)]))"
_NEXT_SENTENCE_START = r"(?=[A-ZÅÄÖÉ0-9”\"»(–-])"

#: Whitespace between two sentences (zero characters of a sentence are matched).
SENTENCE_BREAK = _SENTENCE_END + _NOT_AFTER_ABBREVIATION + _NOT_AFTER_INITIAL + r"\s+" + _NEXT_SENTENCE_START
SENTENCE_BREAK_RE = re.compile(SENTENCE_BREAK)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text`` (stripped), shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK_RE.finditer(text):
        _append_stripped(text, start, match.start(), offset, spans)
        start = match.end()
    _append_stripped(text, start, len(text), offset, spans)
    return spans


def _append_stripped(text: str, start: int, end: int, offset: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))

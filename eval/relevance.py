"""Which passages are relevant to a gold item, independent of how the motion was chunked.

A passage is relevant when it covers at least half of one evidence string's characters
(containing the evidence is the special case of covering all of it). Matching ignores
differences in whitespace, so a suite survives re-formatting of the clean text, and the case of letters
and a closing full stop: a motion states each yrkande twice, in the list ("…att regeringen bör …") and at
the end of its section ("Regeringen bör … ."), and a writer may copy either.
"""

from __future__ import annotations

import re

MIN_COVERAGE = 0.5
_WHITESPACE = re.compile(r"\s+")
_CLOSING_STOP = re.compile(r"[.!?]\s*$")


def locate(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``evidence`` in ``text``, insensitive to whitespace, case and a closing stop."""
    words = _CLOSING_STOP.sub("", evidence).split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def covers(start: int, end: int, evidence_spans: list[tuple[int, int]]) -> bool:
    """Does [start, end) cover at least half of any evidence span?"""
    return any(min(end, e) - max(start, s) >= MIN_COVERAGE * (e - s) for s, e in evidence_spans if e > s)

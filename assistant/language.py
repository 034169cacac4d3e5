"""Is a question Swedish or English? Decides the language of leads and abstention messages."""

from __future__ import annotations

import re
from typing import Literal

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SWEDISH

Language = Literal["sv", "en"]

_WORD = re.compile(r"[a-zåäöéü]+")
_SWEDISH_LETTERS = re.compile(r"[åäö]")
_ENGLISH_ONLY = frozenset(STOPWORDS_EN) - frozenset(STOPWORDS_SWEDISH)
_SWEDISH_ONLY = frozenset(STOPWORDS_SWEDISH) - frozenset(STOPWORDS_EN)


def detect_language(text: str) -> Language:
    """Count function words of each language; å/ä/ö tip a tie towards Swedish."""
    words = _WORD.findall(text.lower())
    english = sum(w in _ENGLISH_ONLY for w in words)
    swedish = sum(w in _SWEDISH_ONLY for w in words) + len(_SWEDISH_LETTERS.findall(text.lower())) * 0.5
    return "en" if english > swedish else "sv"

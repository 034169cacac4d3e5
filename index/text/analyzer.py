"""Swedish text analysis for BM25: lower-casing, stop words, compound splitting, Snowball stems.

Swedish glues words together ("våldtäktsanmälan" = "våldtäkt" + "anmälan"), and a
question rarely uses the motion's exact compound. Splitting long words into parts
that occur in the corpus lets "våldtäktsanmälan" meet "polisanmäls" on "anmäl".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SWEDISH

_TOKEN = re.compile(r"[0-9a-zåäöéüæø]+(?:[:/][0-9]+)*", re.IGNORECASE)
_MIN_COMPOUND = 8
_MIN_HEAD = 3
_MIN_TAIL = 4
_LINKING = ("s", "e", "a", "u", "o")

# English stop words too: English questions still carry names and acronyms (IPVI, Brå, SOU 2023:97).
STOPWORDS = frozenset(STOPWORDS_SWEDISH) | frozenset(STOPWORDS_EN)


class SwedishAnalyzer:
    """Turns text into BM25 terms; ``vocabulary`` (stems of corpus words) drives compound splitting."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._stemmer = Stemmer.Stemmer("swedish")
        self.vocabulary = frozenset(vocabulary)

    @staticmethod
    def words(text: str) -> list[str]:
        return [w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]

    @classmethod
    def fit(cls, texts: Iterable[str]) -> SwedishAnalyzer:
        """An analyzer whose compound parts are the corpus' own word forms."""
        stemmer = Stemmer.Stemmer("swedish")
        words = {w for text in texts for w in cls.words(text) if len(w) >= _MIN_HEAD and w.isalpha()}
        first_pass = cls(stemmer.stemWords(sorted(words)))
        parts = {part for word in words for part in first_pass.split_compound(word)}
        return cls(stemmer.stemWords(sorted(words | parts)))

    def terms(self, text: str) -> list[str]:
        words = self.words(text)
        expanded = [part for word in words for part in (word, *self.split_compound(word))]
        return self._stemmer.stemWords(expanded)

    def split_compound(self, word: str) -> tuple[str, ...]:
        """The first two-part split (longest tail) whose parts stem to corpus words, or nothing."""
        if len(word) < _MIN_COMPOUND or not word.isalpha():
            return ()
        known = self.vocabulary.__contains__
        stem = self._stemmer.stemWord
        for cut in range(_MIN_HEAD, len(word) - _MIN_TAIL + 1):
            head, tail = word[:cut], word[cut:]
            # Snowball leaves some endings ("anmälan"); a known stem one or two letters shorter counts.
            if not any(known(form) for form in (stem(tail), tail[:-1], tail[:-2]) if len(form) >= _MIN_TAIL):
                continue
            if known(stem(head)):
                return head, tail
            if head[-1] in _LINKING and len(head) > _MIN_HEAD and known(stem(head[:-1])):
                return head[:-1], tail
        return ()

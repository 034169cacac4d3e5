"""Which of a question's key words the motion never uses: "Vill de höja skatten på bensin?" asks about
bensin, and the motion never says it.

"Key" is decided by general-language statistics, not by word lists written for one motion: a word
counts when ``wordfreq`` calls it a real but specific Swedish word (neither a function word nor
unknown, where a typo or a coinage is more likely). "Used by the motion" allows for inflection
(``simplemma`` lemmas), å/ä/ö typed as a/a/o, and compounds (the word as a part of one of the
motion's compounds, through the index's own compound splitting). Only Swedish questions are checked:
an English word is never in a Swedish text, and no translation model is available.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simplemma
from wordfreq import zipf_frequency

from index.structure import fold
from index.text.analyzer import SwedishAnalyzer

# Zipf frequency of a key word: below the lower bound a word is too rare to trust (a typo, slang, a
# coinage of the motion's own); above the upper one it is everyday language ("göra", "finns").
KEY_WORD_ZIPF = (2.5, 4.9)
_MIN_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class AbsentWord:
    word: str
    zipf: float


class Vocabulary:
    """The motion's words, as the build recorded them (``index.structure.word_forms``)."""

    def __init__(self, forms: frozenset[str], lemmas: frozenset[str], analyzer: SwedishAnalyzer) -> None:
        self.forms = forms
        self.lemmas = lemmas
        self.analyzer = analyzer

    def uses(self, word: str) -> bool:
        """Does the motion use this word, inflected, folded or inside a compound?"""
        folded = fold(word)
        if folded in self.forms:
            return True
        lemma = fold(simplemma.lemmatize(word.lower(), lang="sv"))
        if lemma in self.forms or lemma in self.lemmas:
            return True
        stems = self.analyzer.terms(word)
        return bool(stems) and stems[0] in self.analyzer.vocabulary

    def absent_words(self, text: str, asking_words: frozenset[str]) -> tuple[AbsentWord, ...]:
        """The question's key words the motion never uses, the most specific first."""
        found: dict[str, AbsentWord] = {}
        for word in _WORD.findall(text):
            lower = word.lower()
            if len(lower) < _MIN_LENGTH or lower in asking_words or lower in found:
                continue
            zipf = zipf_frequency(lower, "sv")
            if KEY_WORD_ZIPF[0] <= zipf < KEY_WORD_ZIPF[1] and not self.uses(lower):
                found[lower] = AbsentWord(lower, zipf)
        return tuple(sorted(found.values(), key=lambda w: w.zipf))

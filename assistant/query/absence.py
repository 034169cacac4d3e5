"""Which of a question's key words the motion never uses: "Vill de höja skatten på bensin?" asks about
bensin, and the motion never says it.

"Key" is decided by general-language statistics, not by word lists written for one motion: a word
counts when ``wordfreq`` calls it a real but specific Swedish word (neither a function word nor
unknown, where a typo or a coinage is more likely). "Used by the motion" allows for inflection
(``simplemma`` lemmas, Snowball stems), å/ä/ö typed as a/a/o, and compounds: the word as the last part
of one of the motion's words ("trafik" in "kollektivtrafik"), or as the first part of one whose rest the
motion uses too ("biljett" in "biljettpriser"). Only Swedish questions are checked:
an English word is never in a Swedish text, and no translation model is available.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import simplemma
from wordfreq import zipf_frequency

from assistant.query.language import EVERYDAY_ZIPF
from assistant.query.words import WORD
from index.structure import fold
from index.text.analyzer import SwedishAnalyzer

# Zipf frequency of a key word: below the lower bound a word is too rare to trust (a typo, slang, a
# coinage of the motion's own); above the upper one it is everyday language ("göra", "finns").
KEY_WORD_ZIPF = (2.5, EVERYDAY_ZIPF)
_MIN_LENGTH = 4
# A compound's first part is at least this long ("bil" in "bilfri"); "s" links parts ("storstadsregion").
_MIN_HEAD = 3
_LINKING = "s"


@dataclass(frozen=True)
class AbsentWord:
    word: str
    zipf: float


class Vocabulary:
    """The motion's words, as the build recorded them (``index.structure.word_forms``), and each of its
    words cut in two every way (compounds): a few tens of thousands of strings, made once at load."""

    def __init__(
        self, forms: frozenset[str], lemmas: frozenset[str], analyzer: SwedishAnalyzer, texts: Iterable[str]
    ) -> None:
        """``texts``: the motion's own, for its words as written (folded, "idén" would end "tiden")."""
        self.forms = forms
        self.lemmas = lemmas
        self.analyzer = analyzer
        # Every way to cut the motion's words in two: "kollektiv|trafik", "biljett|priserna".
        self.endings: set[str] = set()
        self.beginnings: dict[str, list[str]] = {}
        for whole in {w for text in texts for w in analyzer.words(text) if w.isalpha()}:
            self.endings.update(whole[cut:] for cut in range(_MIN_HEAD, len(whole) - _MIN_LENGTH + 1))
            for cut in range(_MIN_LENGTH, len(whole) - _MIN_LENGTH + 1):
                self.beginnings.setdefault(whole[:cut], []).append(whole[cut:])

    def uses(self, word: str) -> bool:
        """Does the motion use this word, inflected, folded or inside a compound?"""
        return self._inflected(word) or self._in_compound(word)

    def _inflected(self, word: str) -> bool:
        folded = fold(word)
        if folded in self.forms:
            return True
        lemma = fold(simplemma.lemmatize(word.lower(), lang="sv"))
        if lemma in self.forms or lemma in self.lemmas:
            return True
        stems = self.analyzer.terms(word)
        return bool(stems) and stems[0] in self.analyzer.vocabulary

    def _in_compound(self, word: str) -> bool:
        """The word (or its lemma) ends one of the motion's words, or begins one whose rest it uses."""
        for part in {word, simplemma.lemmatize(word, lang="sv")}:
            if len(part) < _MIN_LENGTH:
                continue
            if part in self.endings or any(self._uses_rest(rest) for rest in self.beginnings.get(part, ())):
                return True
        return False

    def _uses_rest(self, rest: str) -> bool:
        candidates = (rest, rest[1:]) if rest.startswith(_LINKING) else (rest,)
        return any(len(c) >= _MIN_LENGTH and self._inflected(c) for c in candidates)

    def absent_words(self, text: str, asking_words: frozenset[str]) -> tuple[AbsentWord, ...]:
        """The question's key words the motion never uses, the most specific first."""
        found: dict[str, AbsentWord] = {}
        for word in WORD.findall(text):
            lower = word.lower()
            if len(lower) < _MIN_LENGTH or lower in asking_words or lower in found:
                continue
            zipf = zipf_frequency(lower, "sv")
            if KEY_WORD_ZIPF[0] <= zipf < KEY_WORD_ZIPF[1] and not self.uses(lower):
                found[lower] = AbsentWord(word, zipf)  # as the reader wrote it: "Moderaterna", not "moderaterna"
        return tuple(sorted(found.values(), key=lambda w: w.zipf))

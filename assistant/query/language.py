"""Is a question Swedish or English? Decides the language of leads and messages.

lingua's n-gram models, restricted to the two languages a reader of this motion uses,
get short English questions right ("Why?", "What about barnahus?") where counting
function words did not: Swedish names inside an English question no longer tip it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from lingua import Language as LinguaLanguage
from lingua import LanguageDetector, LanguageDetectorBuilder
from wordfreq import zipf_frequency

from assistant.query.words import WORD

Language = Literal["sv", "en"]

# Zipf frequency (wordfreq) from which a word is everyday language ("göra", "finns", "long"), naming no topic.
EVERYDAY_ZIPF = 4.9


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(LinguaLanguage.SWEDISH, LinguaLanguage.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )


# An English question often carries a Swedish name ("What about barnahus?"); when it opens like
# English, the Swedish-spelled words are left out of a second look.
_ENGLISH_OPENING = re.compile(
    r"^\W*(what|why|how|which|who|whom|whose|when|where|is|are|was|were|does|do|did|can|could|should|would|will|"
    r"tell|and|but|so|any|anything|explain|please|according)\b",
    re.IGNORECASE,
)
_SWEDISH_SPELLED = re.compile(r"\w*[åäöÅÄÖ]\w*")
# A heading quoted in «…» is the motion's words, not the asker's ("What does the section «Samtyckeslagen» say?").
_QUOTED_HEADING = re.compile(r"«[^»]*»")


def detect_language(text: str) -> Language:
    """Swedish unless lingua finds English more likely (the motion's own language wins ties)."""
    unquoted = _QUOTED_HEADING.sub(" ", text)
    text = unquoted if unquoted.strip() else text
    if _is_english(text):
        return "en"
    if _ENGLISH_OPENING.search(text) and _is_english(_SWEDISH_SPELLED.sub(" ", text)):
        return "en"
    return "sv"


def _is_english(text: str) -> bool:
    return _detector().detect_language_of(text) == LinguaLanguage.ENGLISH


def everyday(word: str, language: Language) -> bool:
    return zipf_frequency(word.lower(), language) >= EVERYDAY_ZIPF


def uncommon_english(text: str, below_zipf: float) -> str:
    """The words of an English text rarer than ``below_zipf`` in English (wordfreq): the ones a Swedish
    text can share with it, names and borrowed terms ("barnahus", "Malmö", "trafficking")."""
    return " ".join(word for word in WORD.findall(text) if zipf_frequency(word.lower(), "en") < below_zipf)

"""Is a question Swedish or English? Decides the language of leads and messages.

lingua's n-gram models, restricted to the two languages a reader of this motion uses,
get short English questions right ("Why?", "What about barnahus?") where counting
function words did not: Swedish names inside an English question no longer tip it.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from lingua import Language as LinguaLanguage
from lingua import LanguageDetector, LanguageDetectorBuilder

Language = Literal["sv", "en"]


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(LinguaLanguage.SWEDISH, LinguaLanguage.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )


def detect_language(text: str) -> Language:
    """Swedish unless lingua finds English clearly more likely (the motion's own language wins ties)."""
    return "en" if _detector().detect_language_of(text) == LinguaLanguage.ENGLISH else "sv"

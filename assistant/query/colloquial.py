"""Spoken Swedish spellings readers type, written as the motion's written Swedish spells them.

"dom" is how many write the pronouns "de"/"dem" ("vad vill dom?", "kom dom fram till nåt?"), and the
motion's "dom" is a court ruling: read as the noun, such a question is matched to the passages on
judgments. The noun has a determiner or an adjective before it ("en dom", "fällande dom",
"lagakraftvunnen dom"); everywhere else "dom" is the pronoun. A rule about the language, not the motion.
"""

from __future__ import annotations

import re

from assistant.query.words import read_words

# Words that put a noun after them: articles, determiners, possessives and the adjectives of rulings.
_BEFORE_A_NOUN = read_words("before_a_noun.txt")
# Adjective endings ("villkorlig", "fällande", "lagakraftvunnen", "hårdare"); "-en" alone is no adjective
# ("ställen dom ska granska"), nor "-at" (a supine before the object: "har de granskat dom?").
_ADJECTIVE = re.compile(r"(?:lig|ig|nde|vunnen|are|isk)$", re.IGNORECASE)
_DOM = re.compile(r"(?P<before>\b[^\W\d_]+\s+)?\bdom\b", re.IGNORECASE)


def written(text: str) -> str:
    """``text`` with the pronoun "dom" as "de"; the noun "dom" kept."""
    return _DOM.sub(_pronoun, text)


def _pronoun(match: re.Match[str]) -> str:
    before = match.group("before") or ""
    word = before.strip().lower()
    if word in _BEFORE_A_NOUN or (word and _ADJECTIVE.search(word)):
        return match.group(0)
    dom = match.group(0)[len(before) :]
    return before + ("De" if dom[0].isupper() else "de")

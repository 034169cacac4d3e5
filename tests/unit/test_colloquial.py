"""Spoken spellings: the pronoun "dom" reads as "de", the noun (a ruling) stays (no model, no motion)."""

from __future__ import annotations

import pytest

from assistant.query.colloquial import written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vad kom dom fram till?", "vad kom de fram till?"),
        ("vad är det för ställen dom ska granska?", "vad är det för ställen de ska granska?"),
        ("o dom som är med i filmerna, ingår dom?", "o de som är med i filmerna, ingår de?"),
        ("Dom säger att det funkar", "De säger att det funkar"),
        ("har de granskat dom?", "har de granskat de?"),
    ],
)
def test_the_pronoun_is_written_de(text: str, expected: str) -> None:
    assert written(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kan man få en dom om sexköp?",
        "villkorlig dom med undervisning",
        "efter en fällande dom.",
        "när en lagakraftvunnen dom finns",
        "blir det en hårdare dom?",
        "domen och domstolen",
    ],
)
def test_the_noun_is_kept(text: str) -> None:
    assert written(text) == text

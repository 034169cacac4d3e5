"""A question about what is to come ("När ska …?") is not answered by a year already past."""

from __future__ import annotations

import pytest

from index.parse.document import Metadata
from index.text.traits import only_the_past


@pytest.mark.parametrize(
    ("sentence", "past"),
    [
        ("Kommissionen lämnade sitt betänkande i juni 1995.", True),
        ("Mellan 2017 och 2024 dödades i snitt 13 kvinnor per år.", True),
        ("Uppdraget ska slutredovisas senast den 26 februari 2026.", False),  # a year to come
        ("Utredningen från 2019 ska följas upp.", False),  # past year, but what is to come
        ("Nämnden kommer sedan att pröva ärendet igen, som 2021.", False),
        ("Utredningen ska redovisas senast den 1 juni.", False),  # no year: the type check decides
        ("I år beslutade regeringen om en plan 2025.", False),  # the motion's own year is not past
    ],
)
def test_only_the_past(sentence: str, past: bool) -> None:
    assert only_the_past(sentence, 2025) is past


@pytest.mark.parametrize(("riksmote", "year"), [("2025/26", 2025), ("1999/2000", 1999), ("", None)])
def test_the_motion_is_dated_by_its_riksmote(riksmote: str, year: int | None) -> None:
    assert Metadata("d", "t", "p", riksmote).year == year

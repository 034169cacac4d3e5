"""References to a motion's own structure, as people write them in Swedish and English (no model, no
motion: ``find_reference`` reads the question alone)."""

from __future__ import annotations

import pytest

from assistant.query.reference import LAST, SECOND_TO_LAST, StructureReference, find_reference, structure_words


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("Vad står det i yrkande 7?", "yrkande", 7),
        ("Vad innebär förslag nr 12?", "yrkande", 12),
        ("Förklara attsats 3", "yrkande", 3),
        ("Vad betyder punkt 4 i motionen?", "yrkande", 4),
        ("What does proposal three say?", "yrkande", 3),
        ("Explain the 5th proposal", "yrkande", 5),
        ("Vad säger det sjunde förslaget?", "yrkande", 7),
        ("Vad står i 7:e yrkandet?", "yrkande", 7),
        ("Vad säger yrkande tjugoett?", "yrkande", 21),
        ("proposal #5", "yrkande", 5),
        ("Vilken källa har fotnot 31?", "footnote", 31),
        ("What is footnote 12?", "footnote", 12),
        ("Vad står i not 40?", "footnote", 40),
        ("Fotnot nr. 9", "footnote", 9),
        ("the 3rd footnote", "footnote", 3),
        # the motion's numbered list is its yrkanden
        ("what's number 17 on the list?", "yrkande", 17),
        ("vad går nummer 14 på listan ut på", "yrkande", 14),
        ("Vad är det tredje på listan?", "yrkande", 3),
        ("the second thing on their list", "yrkande", 2),
        ("nr 4 i förslagslistan", "yrkande", 4),
    ],
)
def test_by_number(text: str, kind: str, number: int) -> None:
    assert find_reference(text) == StructureReference(kind, number=number)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("Vad är det sista yrkandet?", "yrkande", LAST),
        ("What is the last proposal?", "yrkande", LAST),
        ("Vad står i näst sista fotnoten?", "footnote", SECOND_TO_LAST),
        ("the second to last footnote", "footnote", SECOND_TO_LAST),
        ("the penultimate proposal", "yrkande", SECOND_TO_LAST),
        ("the final footnote", "footnote", LAST),
        ("Vad är det sista på listan?", "yrkande", LAST),
        ("what's last on the list", "yrkande", LAST),
        # any ordinal counted from the end
        ("tredje yrkandet från slutet, vad gäller det?", "yrkande", -3),
        ("Vad är det tredje sista yrkandet?", "yrkande", -3),
        ("the third-to-last proposal", "yrkande", -3),
        ("the 4th footnote from the end", "footnote", -4),
        ("andra fotnoten bakifrån", "footnote", SECOND_TO_LAST),
    ],
)
def test_by_position_from_the_end(text: str, kind: str, position: int) -> None:
    assert find_reference(text) == StructureReference(kind, position=position)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hur många yrkanden har motionen?", "yrkande"),
        ("Hur många förslag lägger de?", "yrkande"),
        ("How many footnotes are there?", "footnote"),
        ("Number of proposals?", "yrkande"),
        ("Hur många källor anger motionen?", "footnote"),
    ],
)
def test_counts(text: str, kind: str) -> None:
    assert find_reference(text) == StructureReference(kind, count=True)  # type: ignore[arg-type]


def test_a_heading_word_asks_for_a_section_the_planner_matches() -> None:
    assert find_reference("Vad står under rubriken Pendeltåg som går i tid?") == StructureReference("section")
    assert find_reference("What does the section on cycling say?") == StructureReference("section")


@pytest.mark.parametrize(
    "text",
    [
        "Hur lång tid tar det till ett första förhör?",  # an ordinal, but of no structure word
        "Why is it not one of them?",  # English "not" with a number word is a negation
        "What does point two mean?",
        "Finns det två förslag om bussar?",  # a cardinal before the word counts things, it names none
        "Höjs priset med yrkande 7 % per år?",  # a percentage, not a number in the motion
        "Kommer förslag 3 dagar senare?",
        "Vad står i yrkande 0?",
        "Vad tycker de om bussar?",
        "Står kommunen som nummer 3 i kön?",  # a number, but of no list
        "Vilka står först på listan över länder?",  # "först" is no ordinal of the list's items
        "Vem är den tredje på listan över vittnen?",  # a list of something else
    ],
)
def test_not_references(text: str) -> None:
    assert find_reference(text) is None


@pytest.mark.parametrize(
    "text",
    ["Vad innebär förslaget 2019?", "Why was it not 2023?", "Gäller punkt 1000 fortfarande?"],
)
def test_a_year_or_longer_number_is_no_structure_number(text: str) -> None:
    """Regression: "förslaget 2019" was yrkande 201, "not 2023" footnote 202 (the first three digits)."""
    assert find_reference(text) is None


def test_structure_words_are_words_of_asking() -> None:
    """ "Motionen nämner inte avsnittet" would be nonsense: these words name the motion's parts, no topic."""
    assert structure_words("Vad står i avsnittet om näst sista fotnoten under rubriken Cykeln?") == frozenset(
        {"avsnittet", "näst", "sista", "fotnoten", "rubriken"}
    )
    assert structure_words("What do the footnotes in the last section say?") == frozenset(
        {"footnotes", "last", "section"}
    )
    assert structure_words("Vill de höja skatten på bensin?") == frozenset()

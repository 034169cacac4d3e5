"""Whether a sentence's figure counts what a "hur många X" question asks for (``assistant.read.reader``,
``index.text.traits.counted_words``), on invented sentences: no model, no index."""

from __future__ import annotations

import pytest

from assistant.read.reader import _counts
from index.text.traits import counted_words


def test_the_words_after_each_figure_are_what_it_counts() -> None:
    sentence = "I fjol åkte 3 000 pendlare tåg, och 40 procent av dem klagade; linjen öppnade 2019 med elva vagnar."
    # "procent" is a figure word too; the year is a time, not a count.
    assert counted_words(sentence, 2) == ["pendlare", "tåg", "procent", "av", "av", "dem", "vagnar"]
    assert counted_words("Det blev 40 nya turer per dag i 3 kommuner.", 3) == ["nya", "turer", "kommuner"]


@pytest.mark.parametrize(
    ("asked", "terms", "sentence", "counts"),
    [
        ("bussar", {"buss"}, "Det går 12 bussar i timmen.", True),
        ("bussar", {"buss"}, "Det går 12 nattbussarna i timmen.", True),  # inflected, compounded
        ("busslinjer", {"busslinj"}, "Kommunen har 30 linjer.", True),  # the compound's last part
        ("bussar", {"buss"}, "Det finns 12 hållplatser i byn.", False),
        ("bussar", {"buss"}, "Bussarna stannar vid 12 hållplatser.", False),  # the figure counts stops
        ("förare", {"förar"}, "Cirka 300 individer har körkort.", True),  # people in general
        ("människor", {"människ"}, "Här bor 500 kvinnor och 400 män.", True),  # a kind of people
        ("förare", {"förar"}, "Här bor 500 kvinnor.", False),
        # the figure counts what stands before a preposition, not the complement after it
        ("olyckor", {"olyck"}, "Det väcks 500 fler åtal för olyckor per år.", False),
        ("åtal", {"åtal"}, "Det väcks 500 fler åtal för olyckor per år.", True),
    ],
)
def test_a_figure_answers_a_count_of_what_was_asked(asked: str, terms: set[str], sentence: str, counts: bool) -> None:
    assert _counts(asked, frozenset(terms), sentence) is counts

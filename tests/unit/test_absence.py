"""Which of a question's key words a motion never uses, on the invented public-transport motion: general
word frequencies (wordfreq) decide what is key, the motion's own words (inflected, folded, compounded)
decide what it uses. No model."""

from __future__ import annotations

import pytest
from wordfreq import zipf_frequency

from assistant.planner import Planner
from assistant.query.absence import KEY_WORD_ZIPF, Vocabulary
from index.parse.document import Document
from index.structure import fold

NO_ASKING: frozenset[str] = frozenset()


@pytest.fixture(scope="module")
def vocabulary(invented_planner: Planner) -> Vocabulary:
    """As the planner builds it from the motion."""
    return invented_planner.vocabulary


def absent(vocabulary: Vocabulary, text: str) -> list[str]:
    return [w.word for w in vocabulary.absent_words(text, NO_ASKING)]


def key(word: str) -> bool:
    low, high = KEY_WORD_ZIPF
    return low <= zipf_frequency(word, "sv") < high


def test_a_specific_word_the_motion_never_uses_is_absent(vocabulary: Vocabulary) -> None:
    assert key("bensin") and key("diesel")
    found = vocabulary.absent_words("Vill de höja priset på bensin och diesel?", NO_ASKING)
    assert [w.word for w in found] == ["diesel", "bensin"], "the most specific (rarest) first"
    assert found[0].zipf == pytest.approx(zipf_frequency("diesel", "sv"))


def test_an_inflected_form_of_a_word_it_uses_is_not_absent(vocabulary: Vocabulary) -> None:
    """The motion says "pendeltågen" and "pendeltågens", never "pendeltåget"."""
    assert key("pendeltåget") and fold("pendeltåget") not in vocabulary.forms
    assert absent(vocabulary, "Vad säger motionen om pendeltåget?") == []


def test_a_word_typed_without_swedish_letters_is_not_absent(vocabulary: Vocabulary) -> None:
    """ "skarpa" (sharp) is a Swedish word of its own, so only folding "skärpa" makes it the motion's."""
    assert key("skarpa") and "skarpa" not in vocabulary.analyzer.words("Regeringen bör skärpa kraven")
    assert absent(vocabulary, "Vill de skarpa kraven pa tillganglighet?") == []


@pytest.mark.parametrize(
    ("word", "compound"),
    [
        ("trafik", "kollektivtrafik"),  # the last part of a compound
        ("biljett", "biljettpriserna"),  # the first part, whose rest ("priser") the motion also uses
        ("signal", "signalsystem"),
        ("storstad", "storstadsregionerna"),  # with the linking s
    ],
)
def test_a_part_of_one_of_the_motions_compounds_is_not_absent(
    vocabulary: Vocabulary, invented: Document, word: str, compound: str
) -> None:
    """Regression: the motion never uses these words alone, so they were "never mentioned" (on the real
    motion: "porr", which it uses only in "porrindustrin", "porrkonsumtion", …)."""
    assert key(word) and compound in invented.text.lower()
    assert fold(word) not in vocabulary.forms
    assert absent(vocabulary, f"Vad säger motionen om {word}?") == []


def test_a_word_that_only_begins_a_longer_word_is_still_absent(vocabulary: Vocabulary) -> None:
    """ "kost" (diet) begins "kostnaderna", whose rest is no word: no compound."""
    assert key("kost") and any(f.startswith("kost") for f in vocabulary.forms)
    assert absent(vocabulary, "Vad säger motionen om kost?") == ["kost"]


@pytest.mark.parametrize("word", ["pengar", "familj", "hjulstol", "spårvagnslinjerna"])
def test_everyday_and_unknown_words_are_never_absent(vocabulary: Vocabulary, word: str) -> None:
    """Too common to name a topic ("pengar"), or too rare to trust (a typo, a coinage): not key."""
    assert not vocabulary.uses(word) and not key(word)
    assert absent(vocabulary, f"Vad säger de om {word}?") == []


def test_short_and_asking_words_are_skipped(vocabulary: Vocabulary) -> None:
    assert key("bensin")
    assert vocabulary.absent_words("Vill de höja priset på bensin?", frozenset({"bensin"})) == ()

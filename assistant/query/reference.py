"""References to the motion's own structure: a yrkande or footnote by number or position, how many
there are, or a section by its heading.

These are rules about the genre (every Riksdag motion has numbered yrkanden, numbered footnotes and
headed sections) and about how people count in Swedish and English; none names a topic. A number
or ordinal counts only next to a structure word ("yrkande 7", "det sjunde förslaget", "footnote 12",
"the last proposal"), so "ett första förhör" is no reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.query.words import WORD

StructureKind = Literal["yrkande", "footnote", "section"]


def _number_words() -> tuple[dict[str, int], list[str]]:
    """Every number word (cardinal or ordinal, Swedish or English) -> its value; and the ordinals alone."""
    values: dict[str, int] = {}
    ordinals: list[str] = []
    lines = (Path(__file__).parent / "words" / "numbers.txt").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip() and not line.startswith("#"):
            number, *words = line.split()
            values.update(dict.fromkeys(words, int(number)))
            ordinals += words[2:]
    return values, ordinals


NUMBER_WORDS, ORDINALS = _number_words()
LAST, SECOND_TO_LAST = -1, -2
_POSITIONS = {"sista": LAST, "last": LAST, "final": LAST, "slutliga": LAST, "penultimate": SECOND_TO_LAST}

_YRKANDE = r"(?:yrkande(?:t|n|na|ts|nas)?|förslag(?:et|en|ets|s)?|attsats(?:en|er|erna)?|punkt(?:en|er|erna)?|" \
    r"proposals?|demands?|motion points?|points?|items?)"  # fmt: skip
_FOOTNOTE = r"(?:fotnot(?:en|er|erna|s)?|slutnot(?:en)?|footnotes?|notes?|noten|not)"
_SECTION = r"(?:rubrik(?:en|er|erna)?|avsnitt(?:et|en)?|kapit(?:el|let|len)|stycket|sections?|headings?|chapters?)"
_NUMBER = r"(?:nr\.?\s*|nummer\s+|number\s+|no\.?\s*|#\s*)?(?P<n>\d{1,3})(?!\d)(?::[ae]|\.)?"


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WORDED = _alternation(list(NUMBER_WORDS))
_ORDINAL_WORDS = _alternation(ORDINALS)
_POSITION = r"(?P<position>näst\s+sista|second[\s-]+(?:to|from)[\s-]+last|next[\s-]+to[\s-]+last|" \
    r"sista|last|final|slutliga|penultimate)"  # fmt: skip
_FLAGS = re.IGNORECASE


# Counted from the end: "tredje sista yrkandet", "the third-to-last proposal", "det tredje förslaget från slutet".
_FROM_END = r"(?:sista|(?:(?:to|from)[\s-]+)?last)"
_FROM_END_AFTER = r"(?:från\s+slutet|räknat\s+bakifrån|bakifrån|nerifrån|from\s+the\s+(?:end|bottom))"
_ORDINAL = rf"(?:(?P<word>{_ORDINAL_WORDS})|(?P<n>\d{{1,3}})(?::[ae]|st|nd|rd|th|\.))"


def _patterns(kind: str) -> list[re.Pattern[str]]:
    before = r"(?:det|den|de|the|its|their|motionens|partiets)?\s*"
    return [
        # "tredje sista yrkandet", "the third-to-last proposal", "tredje yrkandet från slutet"
        re.compile(rf"{before}\b{_ORDINAL}[\s-]+{_FROM_END}\s+(?P<from_end>{kind})\b", _FLAGS),
        re.compile(rf"{before}\b{_ORDINAL}\s+{kind}\s+(?P<from_end>{_FROM_END_AFTER})", _FLAGS),
        # "yrkande 7", "förslag nr 12", "footnote #5", "not 30", "proposal number 3"
        re.compile(rf"\b{kind}\s+{_NUMBER}(?!\s*(?:%|procent|percent|år|years?|kronor|dagar|days))", _FLAGS),
        # "yrkande sju", "proposal seven"
        re.compile(rf"\b{kind}\s+(?:nummer\s+|number\s+)?(?P<word>{_WORDED})\b", _FLAGS),
        # "det sjunde förslaget", "the 3rd proposal", "7:e yrkandet" (a cardinal before it counts: "två förslag")
        re.compile(rf"{before}\b{_ORDINAL}\s+{kind}\b", _FLAGS),
        # "det sista förslaget", "the second to last footnote"
        re.compile(rf"{before}\b{_POSITION}\s+{kind}\b", _FLAGS),
    ]


# A motion's numbered list is its yrkanden ("Förslag till riksdagsbeslut"): "nummer 17 på listan", "the third
# one on the list", "sista punkten i listan", "last on the list"; not a list of something else
# ("listan över länder").
_ON_THE_LIST = (
    r"(?:\s+(?:\w+\s+)?(?:på|i|on|in|of)\s+(?:the\s+|their\s+|deras\s+)?(?:förslags)?list(?:an|a)?)\b"
    r"(?!\s+(?:över|med|på|of|with)\b)"
)


def _on_the_list() -> list[re.Pattern[str]]:
    before = r"(?:det|den|de|the|its|their)?\s*"
    number = r"(?:nr\.?\s*|nummer\s+|number\s+|no\.?\s*|#\s*)(?P<n>\d{1,3})(?!\d)"
    return [
        re.compile(rf"\b{number}{_ON_THE_LIST}", _FLAGS),
        re.compile(rf"{before}\b{_ORDINAL}{_ON_THE_LIST}", _FLAGS),
        re.compile(rf"{before}\b{_POSITION}{_ON_THE_LIST}", _FLAGS),
    ]


_REFERENCE_PATTERNS: dict[StructureKind, list[re.Pattern[str]]] = {
    "yrkande": _patterns(_YRKANDE) + _on_the_list(),
    "footnote": _patterns(_FOOTNOTE),
}
_COUNTED: tuple[tuple[StructureKind, str], ...] = (
    ("yrkande", _YRKANDE),
    ("footnote", _FOOTNOTE + r"|källhänvisning\w*|källor"),
)
_COUNT: dict[StructureKind, re.Pattern[str]] = {
    kind: re.compile(
        rf"\b(?:hur\s+många|how\s+many|antal(?:et)?|number\s+of|count\s+of)\s+(?:\w+\s+){{0,2}}?{words}\b", _FLAGS
    )
    for kind, words in _COUNTED
}
_SECTION_WORD = re.compile(rf"\b{_SECTION}\b", _FLAGS)
# A word that names the motion's parts or a place in their order ("avsnittet", "fotnoten", "näst sista").
_STRUCTURE_WORD = re.compile(rf"{_YRKANDE}|{_FOOTNOTE}|{_SECTION}|näst|{_alternation(list(_POSITIONS))}", _FLAGS)
# English "not" is a negation and "point"/"note" are ordinary words: a bare number after them counts,
# but not a number word ("not one", "point two").
_AMBIGUOUS_WORDS = re.compile(r"^(?:not|notes?|points?|demands?|items?)\b", _FLAGS)


@dataclass(frozen=True)
class StructureReference:
    """What a question points at in the motion's structure, before it is looked up.

    ``number`` is 1-based; ``position`` counts from the end (-1 last, -2 second to last);
    ``count`` asks how many there are; a ``section`` reference carries no number (the reader
    matches its heading).
    """

    kind: StructureKind
    number: int | None = None
    position: int | None = None
    count: bool = False


def find_reference(text: str) -> StructureReference | None:
    """The first structure reference in ``text``: by number or position, a count, or a heading word."""
    for kind, patterns in _REFERENCE_PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                reference = _from_match(kind, match)
                if reference is not None:
                    return reference
    for kind, pattern in _COUNT.items():
        if pattern.search(text):
            return StructureReference(kind, count=True)
    if _SECTION_WORD.search(text):
        return StructureReference("section")
    return None


def is_structure_word(word: str) -> bool:
    """A word that names the motion's parts ("rubriken", "yrkandet", "fotnoten"): it asks about the motion itself."""
    return _STRUCTURE_WORD.fullmatch(word) is not None


def structure_words(text: str) -> frozenset[str]:
    """The words of ``text`` that name the motion's structure: words of asking, never its topic."""
    return frozenset(word.lower() for word in WORD.findall(text) if is_structure_word(word))


def _from_match(kind: StructureKind, match: re.Match[str]) -> StructureReference | None:
    groups = match.groupdict()
    if groups.get("position"):
        words = " ".join(groups["position"].lower().split())
        position = LAST if words in _POSITIONS and _POSITIONS[words] == LAST else SECOND_TO_LAST
        return StructureReference(kind, position=position)
    if groups.get("n"):
        number = int(groups["n"])
        if number > 0 and groups.get("from_end"):
            return StructureReference(kind, position=-number)
    elif groups.get("word"):
        if _AMBIGUOUS_WORDS.match(match.group(0).strip()):
            return None
        number = NUMBER_WORDS[groups["word"].lower()]
        if groups.get("from_end"):
            return StructureReference(kind, position=-number)
    else:
        return None
    return StructureReference(kind, number=number) if number > 0 else None

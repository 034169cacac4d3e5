"""What a sentence carries, as answer evidence: a figure, a sum, a time, a name, a reason, a definition.

Classic answer typing (as in TREC QA): a question of a type is answered only by a
sentence that carries a value of that type. The markers are Swedish grammar and
number words, not the motion's topic. The build computes them for every sentence of
the corpus (``index.derive``); the reader looks them up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FLAGS = re.IGNORECASE
# Digits that are not part of a reference id such as "SOU 2022:70" or "prop. 2017/18:177".
_FREE_DIGITS = r"(?<![/:\d])\d[\d ]*(?:[.,]\d+)?(?![/:\d])"
_NUMBER = re.compile(
    rf"{_FREE_DIGITS}|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|tjugo|"
    r"trettio|fyrtio|femtio|hundra\w*|tusen\w*|miljon\w*|miljard\w*)\b(?=\s+\w+)|\b(?:\w+tal|hälften|dubbelt|"
    r"fördubbla\w*|procent|majoritet\w*|var (?:femte|fjärde|tredje|tionde|annan)|inga|ingen|inget|noll)\b",
    _FLAGS,
)
_AMOUNT = re.compile(r"\b(?:kronor|kr|miljon\w* kronor|miljard\w* kronor|mnkr|mdkr|euro|dollar)\b", _FLAGS)
_TIME = re.compile(
    r"(?<![/:\d])\b(?:1[89]\d\d|20\d\d)\b(?![/:\d])|\b(?:januari|februari|mars|april|maj|juni|juli|augusti|"
    r"september|oktober|november|december|sedan|dag(?:ar)?|vecka|veckor|månad(?:er)?|år(?:en)?)\b",
    _FLAGS,
)
# A capitalised word that does not open the sentence: an organisation, a person, a place, a law.
_NAME = re.compile(r"(?<=[^.!?]\s)[A-ZÅÄÖ][\wåäöÅÄÖ-]+")
_CAUSAL = re.compile(
    r"\b(eftersom|därför|då det|för att|på grund av|beror på|leder till|ledde till|innebär att|vilket gör|"
    r"bidrar till|orsak\w*|skäl\w*|anledning\w*|problem\w*|brist\w*|saknas|otillräcklig\w*|risk\w*|"
    r"alltför|inte tillräckligt|fortfarande|trots|svår\w*|allvarlig\w*|behöv\w*|måste|krävs|nödvändig\w*|"
    r"konsekvens\w*|följd\w*|fara|farlig\w*|oro\w*|kritisk\w*|minska\w*|anser|tror|menar|ser vi|vi ser)\b",
    _FLAGS,
)
_DEFINITIONAL = re.compile(
    r"\b(är en|är ett|är när|är de|innebär|betyder|avses|definiera\w*|kallas|benämns|handlar om|"
    r"utgörs av|består av|syftar på|är ett begrepp|är ett samlingsnamn|är en metod|är en form)\b",
    _FLAGS,
)
# A sentence that leans on the one before it ("Detta …", "Det …", "Därför …").
_ANAPHORIC_OPENING = re.compile(
    r"^\s*(detta|det|denna|dessa|den|de|där|därför|dessutom|även|också|samtidigt|men|och|i stället|vilket|"
    r"som en följd|sådana|här)\b",
    _FLAGS,
)
_PROPOSAL_OPENING = re.compile(r"^\s*(regeringen|riksdagen)\s+(bör|ska|skall|måste|behöver)\b", _FLAGS)


@dataclass(frozen=True)
class SentenceTraits:
    """Typed values and rhetorical markers of one sentence (computed once per corpus sentence)."""

    number: bool
    amount: bool
    time: bool
    name: bool
    causal: bool
    definitional: bool
    anaphoric_opening: bool
    proposal_opening: bool
    years: frozenset[str]

    def carries(self, qtype: str) -> bool | None:
        """Does this sentence carry the value a question of ``qtype`` needs? None: the type needs none."""
        if qtype == "number":
            return self.number
        if qtype == "amount":
            return self.amount
        if qtype == "time":
            return self.time
        if qtype in ("person", "place"):
            return self.name
        return None


#: A year, not part of a reference id ("SOU 2022:70"): questions and sentences are matched on these.
YEAR = re.compile(r"(?<![/:\d])\b(?:19\d\d|20\d\d)\b(?![/:\d])")


_WORD = re.compile(r"[^\W\d_]+")


# Prepositions that end what a figure counts: "500 fler åtal | för våldtäkt" counts åtal. Not "av", which
# is partitive after a figure ("247 av landets 290 kommuner").
_AFTER_THE_COUNTED = frozenset({"för", "i", "på", "med", "om", "till", "från", "mot", "per", "vid", "hos", "inom"})


def counted_words(sentence: str, window: int) -> list[str]:
    """The words right after each figure, where Swedish puts what it counts ("elva kvinnor", "247 av
    landets 290 kommuner"), lower-cased, up to a preposition that starts what the counted thing is of."""
    free = YEAR.sub(" ", sentence)
    counted = []
    for match in _NUMBER.finditer(free):
        for word in _WORD.findall(free[match.end() :])[:window]:
            if word.lower() in _AFTER_THE_COUNTED:
                break
            counted.append(word.lower())
    return counted


# What is to come, in a sentence: "ska", "kommer att", "senast", "framöver".
_FUTURE = re.compile(r"\b(?:ska|skall|kommer\s+(?:\w+\s+)?att|senast|framöver|planer\w*)\b", _FLAGS)


def only_the_past(sentence: str, now: int) -> bool:
    """Dated before ``now`` with no word of what is to come: no answer to "När ska …?"."""
    years = [int(y) for y in YEAR.findall(sentence)]
    return bool(years) and max(years) < now and not _FUTURE.search(sentence)


def traits(sentence: str) -> SentenceTraits:
    return SentenceTraits(
        # A year is a time, not the count or share a "how many" question asks for.
        number=bool(_NUMBER.search(YEAR.sub(" ", sentence))),
        amount=bool(_AMOUNT.search(sentence)) and bool(re.search(r"\d", sentence)),
        time=bool(_TIME.search(sentence)),
        name=bool(_NAME.search(sentence)),
        causal=bool(_CAUSAL.search(sentence)),
        definitional=bool(_DEFINITIONAL.search(sentence)),
        anaphoric_opening=bool(_ANAPHORIC_OPENING.search(sentence)),
        proposal_opening=bool(_PROPOSAL_OPENING.search(sentence)),
        years=frozenset(YEAR.findall(sentence)),
    )

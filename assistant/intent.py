"""What kind of answer a question asks for, from its wording (Swedish and English).

Two kinds change where the answer lives: a question about a *source* is answered by a
footnote, a question about what the motion *wants* by a numbered proposal (yrkande).
"""

from __future__ import annotations

import re

_DOCUMENT_KINDS = (
    r"rapport|studie|undersökning|granskning|utredning|utvärdering|forskning|artikel|tidning|enkät|kartläggning|"
    r"betänkande|uppföljning|remissvar|skuggrapport|lägesrapport|årsrapport|report|study|survey|review|paper|"
    r"article|newspaper|investigation|evaluation"
)
_SOURCE = re.compile(
    rf"\b(källa|källan|källor|källhänvis\w*|varifrån|var\b.*\bifrån|enligt vem|vem (?:har|står) (?:bakom|kommit fram)|"
    rf"hänvisa\w*|refer\w*|source\w*|cite\w*|according to whom|where does .* come from|"
    rf"(?:vilken|vilket|vilka|vad heter|which|what is the name of|name of)\s+(?:\w+\s+)?\w*(?:{_DOCUMENT_KINDS})\w*)\b",
    re.IGNORECASE,
)
_PROPOSAL = re.compile(
    r"\b(vill (?:v|vänsterpartiet|partiet|motionen|de|ni|dom|man)|föreslå\w*|förslag\w*|yrka\w*|kräv\w*|"
    r"ska regeringen|bör regeringen|vad (?:vill|begär)|want\w*|propos\w*|demand\w*|call(?:s|ing)? for|"
    r"should the government|ask\w* the government)\b",
    re.IGNORECASE,
)


def asks_for_source(question: str) -> bool:
    return bool(_SOURCE.search(question))


def asks_for_proposal(question: str) -> bool:
    return bool(_PROPOSAL.search(question))


_ASKS_NUMBER = re.compile(
    r"\b(hur (?:många|mycket|stor|stora|lång|länge|ofta|vanligt)|vilken andel|hur hög|antal\w*|"
    r"how (?:many|much|long|often|large|big|common)|what (?:share|proportion|percentage|number))\b",
    re.IGNORECASE,
)
_ASKS_TIME = re.compile(r"\b(när|vilket år|sedan när|hur länge sedan|when|what year|since when)\b", re.IGNORECASE)
# Digits that are not part of a reference id such as "SOU 2022:70" or "prop. 2017/18:177".
_FREE_DIGITS = r"(?<![/:\d])\d+(?![/:\d])"
_NUMBER = re.compile(
    rf"{_FREE_DIGITS}|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|trettio|fyrtio|femtio|hundra\w*|"
    r"tusen\w*|miljon\w*|miljard\w*|\w+tal|hälften|dubbelt|fördubbla\w*|procent|majoritet\w*)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![/:\d])\b(?:1[89]\d\d|20\d\d)\b(?![/:\d])|\b(?:januari|februari|mars|april|maj|juni|juli|augusti|"
    r"september|oktober|november|december)\b",
    re.IGNORECASE,
)


def answer_shape_matches(question: str, sentence: str) -> bool | None:
    """Does the sentence carry what the question asks for (a number, a time)? None: no such demand."""
    wants_number, wants_time = bool(_ASKS_NUMBER.search(question)), bool(_ASKS_TIME.search(question))
    if not (wants_number or wants_time):
        return None
    return bool((wants_number and _NUMBER.search(sentence)) or (wants_time and _TIME.search(sentence)))

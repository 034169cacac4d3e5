"""What kind of answer a question asks for, from its wording (Swedish and English).

Two kinds change where the answer lives: a question about a *source* is answered by a
footnote, a question about what the motion *wants* by a numbered proposal (yrkande).
"""

from __future__ import annotations

import re

_SOURCE = re.compile(
    r"\b(källa|källan|källor|källhänvis\w*|varifrån|var\b.*\bifrån|vilken (?:rapport|studie|undersökning|"
    r"utredning|forskning|artikel|tidning|myndighet)|vilka (?:rapporter|studier|undersökningar)|enligt vem|"
    r"vem (?:har|står) (?:bakom|kommit fram)|hänvisa\w*|refer\w*|source\w*|cite\w*|which (?:report|study|"
    r"survey|investigation|paper|article|newspaper)|according to whom|where does .* come from)\b",
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

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

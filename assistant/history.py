"""History-aware queries: how much a follow-up leans on the turns before it.

"Och när trädde den i kraft?" means nothing alone; "Vad säger motionen om
ekonomiskt våld?" stands on its own even after a talk about barnahus. The weight of
the history falls with the question's own content and rises with anaphora.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation import Turn
from index.analyzer import SwedishAnalyzer

_MARKER = re.compile(r"\[\d+\]")
_ANAPHORA = frozenset(
    [
        "det",
        "den",
        "dem",
        "de",
        "dessa",
        "detta",
        "denna",
        "där",
        "då",
        "dit",
        "deras",
        "dess",
        "sådan",
        "sådana",
        "samma",
        "dom",
        "it",
        "they",
        "them",
        "those",
        "this",
        "that",
        "these",
        "there",
        "then",
        "their",
        "its",
        "such",
    ]
)
_CONTINUATIONS = (
    "och ",
    "men ",
    "så ",
    "and ",
    "but ",
    "so ",
    "what about",
    "how about",
    "hur är det med",
    "vad sägs om",
    "vad gäller",
)
_WORD = re.compile(r"[a-zåäöéü]+")


@dataclass(frozen=True)
class WeightedText:
    text: str
    weight: float


def followup_weight(question: str, strong: float, weak: float, matches_alone: bool = False) -> float:
    """How much a question leans on earlier turns: ``strong`` when it points back ("den", "det",
    "och …") or is a bare "Varför?", ``weak`` when it names its own topic.

    ``matches_alone`` says the question by itself already finds a close sentence in the
    motion, which halves the pull even of a pronoun (Swedish "det" is often just a subject).
    """
    lowered = question.lower().strip()
    words = _WORD.findall(lowered)
    content = len(SwedishAnalyzer.words(lowered))
    anaphoric = any(w in _ANAPHORA for w in words) or lowered.startswith(_CONTINUATIONS)
    medium = (strong + weak) / 2
    if content <= 1:
        return strong
    if not anaphoric:
        return weak
    if matches_alone:
        return medium
    return strong if content <= 4 else medium


def weighted_query(
    question: str,
    history: list[Turn],
    turns: int,
    decay: float,
    matches_alone: bool = False,
    strong: float = 0.8,
    weak: float = 0.15,
) -> list[WeightedText]:
    """The question (weight 1) and up to ``turns`` earlier exchanges, newest weighted most."""
    parts = [WeightedText(question, 1.0)]
    if not history or turns == 0:
        return parts
    lean = followup_weight(question, strong, weak, matches_alone)
    users_seen = 0
    for turn in reversed(history):
        if turn.role == "user":
            users_seen += 1
            if users_seen > turns:
                break
        weight = lean * decay ** (users_seen - (1 if turn.role == "user" else 0))
        text = _MARKER.sub("", turn.content).strip()
        if text and weight > 0:
            # An earlier answer marks the topic but should not pull the same passage back up.
            parts.append(WeightedText(text, weight if turn.role == "user" else weight / 4))
    return parts

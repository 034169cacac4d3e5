"""History-aware queries: which texts a question is retrieved with, and how much each weighs.

Only a question that needs the conversation (a pronoun, "och …?", a bare "varför?")
leans on it; one that names its own topic is retrieved from that topic alone, so
"Vad är eftervåld?" after "Vad är IPVI?" is about eftervåld.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation import Turn
from assistant.query.analysis import QueryAnalysis
from assistant.query.colloquial import written
from index.scoring import SCORING

_MARKER = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class WeightedText:
    """One text the query vector is mixed from; ``lexical`` texts also feed BM25."""

    text: str
    weight: float
    lexical: bool = True


def history_lean(analysis: QueryAnalysis) -> float:
    """None for a self-contained question; strong for a pronoun or a bare question ("Fungerade det?",
    "Varför?"); moderate for a continuation that names a new subject ("Och barnahus?")."""
    if not analysis.needs_history:
        return 0.0
    return SCORING.lean_bare if analysis.points_back or not analysis.names_topic else SCORING.lean_named


def weighted_query(
    analysis: QueryAnalysis, history: list[Turn], turns: int, decay: float, focus_weight: float = 1.0
) -> list[WeightedText]:
    """The question (weight 1), its focus (dense only), and earlier turns if it needs them.

    (Leaving the focus out of follow-ups lost a gold follow-up's citation; it stays.)"""
    parts = [WeightedText(analysis.text, 1.0)]
    if focus_weight > 0 and analysis.focus and analysis.focus.lower() != analysis.text.lower():
        parts.append(WeightedText(analysis.focus, focus_weight, lexical=False))
    lean = history_lean(analysis)
    if not history or turns == 0 or lean == 0.0:
        return parts
    users_seen = 0
    for turn in reversed(history):
        if turn.role == "user":
            users_seen += 1
            if users_seen > turns:
                break
        weight = lean * decay ** (users_seen - (1 if turn.role == "user" else 0))
        text = _MARKER.sub("", turn.content).strip()
        text = written(text) if turn.role == "user" else text
        if text and weight > 0:
            parts.append(WeightedText(text, weight if turn.role == "user" else weight * SCORING.answer_share))
    return parts


def last_user_question(history: list[Turn]) -> str | None:
    return next((t.content for t in reversed(history) if t.role == "user"), None)

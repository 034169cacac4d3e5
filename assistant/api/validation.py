"""Checks on user text that the schema cannot express: emptiness, configurable limits, bad characters."""

from __future__ import annotations

import unicodedata

from fastapi import HTTPException

from assistant.api.schemas import TurnIn
from assistant.conversation import Turn
from index.settings import Settings

_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def clean_text(value: str, field: str, limit: int) -> str:
    """The stripped text, or a 422 that says exactly what is wrong with it."""
    if not value.strip():
        raise HTTPException(422, f"{field} must not be empty")
    if len(value) > limit:
        raise HTTPException(422, f"{field} is {len(value)} characters; the limit is {limit}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, f"{field} contains invalid Unicode (a lone surrogate)") from None
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in value):
        raise HTTPException(422, f"{field} contains control characters")
    return value.strip()


def clean_history(history: list[TurnIn] | None, settings: Settings) -> list[Turn]:
    if not history:
        return []
    if len(history) > settings.max_history_turns:
        raise HTTPException(422, f"history has {len(history)} turns; the limit is {settings.max_history_turns}")
    return [
        Turn(t.role, clean_text(t.content, f"history[{i}].content", settings.max_question_chars * 10))
        for i, t in enumerate(history)
    ]

"""Checks on user text that the schema cannot express: emptiness, configurable limits, bad characters.

Failures are 422s in pydantic's own shape (``loc``, ``msg``, ``type``), so a client handles one list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from assistant.api.errors import Loc, invalid
from assistant.api.schemas import TurnIn
from assistant.api.settings import ApiSettings
from assistant.conversation import Turn

_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def clean_text(value: str, loc: Loc, limit: int) -> str:
    """The stripped text, or a 422 at ``loc`` (the field's path in the body) that says what is wrong with it."""
    if not value.strip():
        raise invalid(loc, "Must not be empty or blank", "text_empty")
    if len(value) > limit:
        raise invalid(loc, f"Should have at most {limit} characters, not {len(value)}", "text_too_long")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(loc, "Should be valid Unicode, without lone surrogates", "text_invalid_unicode") from None
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in value):
        raise invalid(loc, "Should not contain control characters", "text_control_characters")
    return value.strip()


def clean_comment(comment: str | None, settings: ApiSettings) -> str | None:
    """An optional comment, checked like a question; a blank one is no comment."""
    if comment is None or not comment.strip():
        return None
    return clean_text(comment, ("comment",), settings.max_question_chars)


def clean_history(
    history: list[TurnIn] | None, settings: ApiSettings, field: str = "history", positions: Sequence[int] | None = None
) -> list[Turn]:
    """The turns as ``Turn``s; ``positions`` are their indexes in the request's ``field`` list (default 0, 1, …)."""
    if not history:
        return []
    if len(history) > settings.max_history_turns:
        limit = settings.max_history_turns
        raise invalid((field,), f"Should have at most {limit} turns, not {len(history)}", "too_many_turns")
    where = positions if positions is not None else range(len(history))
    return [
        Turn(t.role, clean_text(t.content, (field, i, "content"), settings.max_question_chars * 10))
        for t, i in zip(history, where, strict=True)
    ]

"""The chat's thumbs up/down: a vote on an answer the server gave, as a ``FeedbackRecord`` for the
shared ``FeedbackLog``.

The log, its locking and its size bounds belong to ``assistant.feedback`` (the API writes to the
same file). The browser sends only which of its turns it votes on; the browser's copy of a turn
counts only when the server gave exactly that answer in the tab's session (it keeps a digest of
each), and the conversation recorded with it is the server's, so a page cannot log text the
assistant never said. Comments get the same checks as the API's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr

from assistant.answer import Answer
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_comment
from assistant.conversation import SessionStore, Turn, UnknownSession
from assistant.feedback import FeedbackRecord, Vote, fitted
from ui.gradio_guard import TypedEventData
from ui.stored import StoredTurn


class BadComment(ValueError):
    """The comment is too long or holds control characters; the message says which."""


class VotePayload(BaseModel):
    """What the page sends with a thumb or a comment (``FEEDBACK_JS`` in ``ui.chat``)."""

    model_config = ConfigDict(extra="forbid")

    turn: StrictInt
    value: Literal["up", "down"]
    comment: StrictStr | None = None


class VoteEvent(TypedEventData):
    """A thumb's event data; the chat's guard refuses any other shape before the handler runs."""

    payload_type = VotePayload
    payload: VotePayload


def answer_digest(question: str, answer: Answer) -> str:
    """What identifies an answer given to a question: its text, outcome, language and citations."""
    cited = [[c.n, c.id, c.start, c.end] for c in (*answer.citations, *answer.see_also)]
    return hashlib.sha256(
        json.dumps([question, answer.text, answer.outcome, answer.language, cited]).encode()
    ).hexdigest()


def answered_history(store: SessionStore, session: str | None, turn: StoredTurn) -> list[Turn] | None:
    """The server's conversation before ``turn`` when the server itself gave that answer in ``session``;
    None when it did not (another session, an answer from before a restart, a tampered record)."""
    if session is None or not store.was_answered(session, answer_digest(turn.question, turn.answer)):
        return None
    try:
        turns = store.history(session)
    except UnknownSession:
        return None
    pair = [Turn("user", turn.question), Turn("assistant", turn.answer.text)]
    starts = [i for i in range(len(turns) - 1) if turns[i : i + 2] == pair]
    return turns[: starts[-1]] if starts else None


def feedback_record(
    history: list[Turn], turn: StoredTurn, vote: Vote, comment: str | None, settings: ApiSettings
) -> FeedbackRecord:
    """The vote on ``turn`` with the conversation before it, checked and bounded as the API's are."""
    try:
        checked = clean_comment(comment, settings)
    except RequestValidationError as error:
        raise BadComment("; ".join(problem["msg"] for problem in error.errors())) from None
    record = FeedbackRecord(
        question=turn.question,
        history=_last(history, settings.max_history_turns),
        answer=turn.answer.text,
        citations=turn.answer.citations,
        outcome=turn.answer.outcome,
        vote=vote,
        comment=checked,
    )
    return fitted(record, settings.feedback_max_record_bytes)


def _last(history: list[Turn], limit: int) -> list[Turn]:
    """The newest ``limit`` turns, starting with a question (as the API accepts a history)."""
    kept = history[-limit:] if limit else []
    return kept[1:] if kept and kept[0].role == "assistant" else kept

"""The chat's thumbs up/down: a stored turn as a ``FeedbackRecord`` for the shared ``FeedbackLog``.

The log, its locking and its size bound belong to ``assistant.feedback`` (the API writes to the
same file); this only says what the chat knows about the answer voted on: the question, the
turns before it, the answer, its citations and outcome, the vote and an optional comment.
"""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError

from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_comment
from assistant.conversation import Turn
from assistant.feedback import FeedbackRecord, Vote
from ui.stored import Conversation, StoredTurn


class BadComment(ValueError):
    """The comment is too long or holds control characters; the message says which."""


def feedback_record(
    conversation: Conversation, turn: StoredTurn, vote: Vote, comment: str | None, settings: ApiSettings
) -> FeedbackRecord:
    """The vote on ``turn`` with the conversation before it (as the API would record it)."""
    before = Conversation(turns=conversation.turns[: conversation.turns.index(turn)]).history()
    try:
        checked = clean_comment(comment, settings)
    except RequestValidationError as error:
        raise BadComment("; ".join(problem["msg"] for problem in error.errors())) from None
    return FeedbackRecord(
        question=turn.question,
        history=_last(before, settings.max_history_turns),
        answer=turn.answer.text,
        citations=turn.answer.citations,
        outcome=turn.answer.outcome,
        vote=vote,
        comment=checked,
    )


def _last(history: list[Turn], limit: int) -> list[Turn]:
    """The newest ``limit`` turns, starting with a question (as the API accepts a history)."""
    kept = history[-limit:] if limit else []
    return kept[1:] if kept and kept[0].role == "assistant" else kept

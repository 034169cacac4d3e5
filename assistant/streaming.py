"""An answer as a stream of events: word-sized pieces of its text, its citations, then a closing event.

An extractive answer is complete the moment it is composed (milliseconds), so the service has
nothing to stream; the doors that speak in streams (SSE at ``/api/ask/stream``, ``/v1`` streaming,
the chat's typing) cut the finished answer into pieces here, at the edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.service import AskResult


@dataclass(frozen=True)
class StreamEvent:
    """One Server-Sent Event: ``delta`` pieces of answer text, then ``citations``, then ``done``."""

    event: str
    data: dict[str, Any]


def answer_events(result: AskResult) -> Iterator[StreamEvent]:
    """Word-sized text pieces, the citations, then a closing event with the outcome and session."""
    words = result.answer.text.split(" ")
    for i, word in enumerate(words):
        yield StreamEvent("delta", {"text": word if i == 0 else f" {word}"})
    yield StreamEvent(
        "citations",
        {
            "citations": [c.__dict__ for c in result.answer.citations],
            "see_also": [c.__dict__ for c in result.answer.see_also],
        },
    )
    yield StreamEvent(
        "done",
        {"answerable": result.answer.answerable, "outcome": result.answer.outcome, "session_id": result.session_id},
    )

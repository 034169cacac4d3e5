"""Down-voted answers as candidate gold items for an analyst to complete.

Each distinct conversation (question plus the turns before it) that got a thumbs down becomes one
item in the suites' JSONL format. What only a person can decide (the question type, the right
answer, the exact evidence) is left empty and listed in ``to_complete``; ``eval.suite`` loads such
items and ``motionqa eval validate`` reports them as still to complete. The passages retrieval finds
for the conversation today come along as ``candidates`` to copy evidence from; the votes, answers
and comments as ``feedback``. Both extra fields are ignored by the loader.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assistant.feedback import FeedbackRecord
from assistant.service import Assistant

TO_COMPLETE = ("type", "answer", "evidence")
CANDIDATE_PASSAGES = 8


def candidate_items(records: list[FeedbackRecord], assistant: Assistant) -> list[dict[str, Any]]:
    """One item per distinct down-voted conversation, in the order of its first down-vote."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[FeedbackRecord]] = {}
    for record in records:
        if record.vote == "down":
            key = (record.question, tuple((t.role, t.content) for t in record.history))
            groups.setdefault(key, []).append(record)
    return [_item(votes, assistant) for votes in groups.values()]


def _item(votes: list[FeedbackRecord], assistant: Assistant) -> dict[str, Any]:
    first = votes[0]
    asked_before = [t.content for t in first.history if t.role == "user"]  # the suites replay user turns
    hits = assistant.search(first.question, k=CANDIDATE_PASSAGES, history=list(first.history))
    return {
        "id": _item_id(first),
        "question": first.question,
        "history": asked_before,
        "type": "",
        "answer": "",
        "evidence": [],
        "to_complete": list(TO_COMPLETE),
        "candidates": [
            {"id": c.id, "section": c.section, "start": c.start, "end": c.end, "text": c.text}
            for c in (h.chunk for h in hits)
        ],
        "feedback": [
            {
                "time": vote.time.isoformat(),
                "outcome": vote.outcome,
                "answer": vote.answer,
                "cited": [c.id for c in vote.citations],
                "comment": vote.comment,
            }
            for vote in votes
        ],
    }


def _item_id(record: FeedbackRecord) -> str:
    """Stable across exports, so a re-export can be matched against items already completed."""
    key = json.dumps([[(t.role, t.content) for t in record.history], record.question], ensure_ascii=False)
    return "feedback-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]

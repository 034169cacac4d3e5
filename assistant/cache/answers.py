"""Keys for the answer cache, so a repeated question costs a dict lookup, not a retrieval.

The key is exactly what an answer depends on for a fixed index and settings: the question, the
history-weighted query texts actually used for retrieval (older turns that fall outside
``history_turns`` do not split the cache) and ``k``.
"""

from __future__ import annotations

import hashlib

from assistant.query.history import WeightedText

AnswerKey = tuple[str, tuple[tuple[str, float], ...], int, str]
ANSWER_CACHE_SIZE = 1024


def answer_key(question: str, parts: list[WeightedText], k: int, conversation: str) -> AnswerKey:
    """Hashable key of one ``ask``. ``conversation`` is what the reader reads of the history besides
    the retrieval texts: whether there is one, and what was already answered (not repeated)."""
    digest = hashlib.sha256(conversation.encode("utf-8")).hexdigest()
    return question, tuple((p.text, round(p.weight, 6)) for p in parts), k, digest

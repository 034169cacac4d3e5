"""Conversation turns and the bounded server-side session store (LRU + TTL)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


class UnknownSession(KeyError):
    """The session id was never issued, or it expired."""


@dataclass
class _Session:
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)


class SessionStore:
    """At most ``max_sessions`` conversations of at most ``max_turns`` turns, each living ``ttl`` seconds.

    One lock guards the store, so concurrent turns in a session append whole turns in order.
    """

    def __init__(self, max_sessions: int, max_turns: int, ttl_seconds: float) -> None:
        self.max_sessions = max_sessions
        self.max_turns = max_turns
        self.ttl = ttl_seconds
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(time.monotonic())
            return len(self._sessions)

    def create(self) -> str:
        session_id = secrets.token_urlsafe(16)
        with self._lock:
            now = time.monotonic()
            self._expire(now)
            self._sessions[session_id] = _Session(touched=now)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        return session_id

    def history(self, session_id: str) -> list[Turn]:
        with self._lock:
            return list(self._get(session_id).turns)

    def append(self, session_id: str, *turns: Turn) -> None:
        """Add turns (a user question and its answer); the oldest go first, whole pairs at a time."""
        with self._lock:
            session = self._get(session_id)
            session.turns.extend(turns)
            excess = len(session.turns) - self.max_turns
            if excess > 0:
                del session.turns[: excess + excess % 2]  # an odd limit must not split a pair

    def _get(self, session_id: str) -> _Session:
        now = time.monotonic()
        self._expire(now)
        session = self._sessions.get(session_id)
        if session is None:
            raise UnknownSession(session_id)
        session.touched = now
        self._sessions.move_to_end(session_id)
        return session

    def _expire(self, now: float) -> None:
        while self._sessions:
            oldest_id, oldest = next(iter(self._sessions.items()))
            if now - oldest.touched <= self.ttl:
                break
            del self._sessions[oldest_id]

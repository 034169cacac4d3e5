"""Conversation turns and the bounded server-side session store (LRU + TTL, a share per client)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
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
    owner: str | None = None
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)
    answered: deque[str] = field(default_factory=deque)  # digests of the answers given in it, newest last


class SessionStore:
    """At most ``max_sessions`` conversations of at most ``max_turns`` turns, each living ``ttl`` seconds.

    A conversation created for an owner (a client address) counts toward that owner's share of
    ``max_per_owner``: past it, the owner's own least recently used conversation goes, so a burst
    from one client cannot evict anyone else's. One lock guards the store, so concurrent turns in a
    session append whole turns in order.
    """

    def __init__(self, max_sessions: int, max_turns: int, ttl_seconds: float, max_per_owner: int | None = None) -> None:
        self.max_sessions = max_sessions
        self.max_turns = max_turns
        self.ttl = ttl_seconds
        self.max_per_owner = max_per_owner
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(time.monotonic())
            return len(self._sessions)

    def create(self, owner: str | None = None) -> str:
        session_id = secrets.token_urlsafe(16)
        with self._lock:
            now = time.monotonic()
            self._expire(now)
            if owner is not None and self.max_per_owner is not None:
                owned = [key for key, session in self._sessions.items() if session.owner == owner]
                for key in owned[: max(0, len(owned) - self.max_per_owner + 1)]:  # least recently used first
                    del self._sessions[key]
            self._sessions[session_id] = _Session(owner=owner, touched=now)
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

    def mark_answered(self, session_id: str, digest: str) -> None:
        """Remember that the server gave the answer with this digest in the session (as many as it has turns)."""
        with self._lock:
            answered = self._get(session_id).answered
            answered.append(digest)
            while len(answered) > self.max_turns // 2:
                answered.popleft()

    def was_answered(self, session_id: str, digest: str) -> bool:
        """Whether the server itself gave that answer in the session; False for an unknown session."""
        with self._lock:
            try:
                return digest in self._get(session_id).answered
            except UnknownSession:
                return False

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

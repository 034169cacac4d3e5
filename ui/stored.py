"""The conversation as the browser keeps it (Gradio's ``BrowserState``, i.e. localStorage).

Keeping it in the browser is what lets a reload or a server restart lose nothing. The record is
compact — each citation is (n, passage id, start, end) and everything else about it is looked up
in the index again — because the whole record travels with every question and must stay far
below the request body limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from assistant.answer import Answer, Citation, indexed_citation
from assistant.conversation import Turn
from index.chunker import Chunk
from index.parse.document import Document

KEPT_TURNS = 20  # answers kept in the browser (and shown)
MAX_STORED_CHARS = 80_000  # and at most this much JSON: older turns go first


# Every number the codec writes (ids, offsets) is small and non-negative; past JavaScript's safe integers no
# browser kept it, and past 64 bits Gradio cannot even send it back (its orjson encoder raised mid-stream).
StoredInt = Annotated[StrictInt, Field(ge=0, le=2**53 - 1)]
# A citation as stored: (n, passage id, start, end).
StoredSpan = tuple[StoredInt, StrictStr, StoredInt, StoredInt]


class StoredTurnRecord(BaseModel):
    """One turn as ``ConversationCodec.dump`` writes it (the short keys keep the record small)."""

    model_config = ConfigDict(extra="forbid")

    id: StoredInt
    q: StrictStr
    a: StrictStr
    o: Literal["answered", "hedged", "declined"]
    l: Literal["sv", "en"]  # noqa: E741 (the record's key)
    c: list[StoredSpan]
    s: list[StoredSpan]
    f: Literal["up", "down"] | None = None
    fc: StrictBool = False


class StoredRecord(BaseModel):
    """The JSON the browser keeps: all the chat accepts in its place (``ui.gradio_guard``)."""

    model_config = ConfigDict(extra="forbid")

    session: StrictStr | None = None
    next: StoredInt = 1
    turns: list[StoredTurnRecord] = []


@dataclass
class StoredTurn:
    """One question and its answer, as the browser keeps it."""

    id: int
    question: str
    answer: Answer
    feedback: str | None = None  # "up" / "down" once given
    commented: bool = False


@dataclass
class Conversation:
    session: str | None = None
    turns: list[StoredTurn] = field(default_factory=list)
    next_id: int = 1

    def history(self) -> list[Turn]:
        """The turns as the assistant's history, for re-seeding a session the server no longer has."""
        pairs = [(Turn("user", t.question), Turn("assistant", t.answer.text)) for t in self.turns]
        return [turn for pair in pairs for turn in pair]

    def add(self, question: str, answer: Answer) -> StoredTurn:
        turn = StoredTurn(self.next_id, question, answer)
        self.next_id += 1
        self.turns = [*self.turns[-(KEPT_TURNS - 1) :], turn]
        return turn

    def find(self, turn_id: int) -> StoredTurn | None:
        return next((t for t in self.turns if t.id == turn_id), None)


class ConversationCodec:
    """Turns a ``Conversation`` into the browser's JSON and back, against one loaded index."""

    def __init__(self, documents: dict[str, Document], chunks: dict[str, Chunk]) -> None:
        self.documents = documents
        self.chunks = chunks

    def dump(self, conversation: Conversation) -> dict[str, Any]:
        turns = [self._dump_turn(t) for t in conversation.turns]
        while turns and len(json.dumps(turns, ensure_ascii=False)) > MAX_STORED_CHARS:
            turns = turns[1:]
        return {"session": conversation.session, "next": conversation.next_id, "turns": turns}

    def load(self, record: Any) -> Conversation:
        """Whatever the browser sent back; anything unreadable (another index, a tampered record) is dropped."""
        if not isinstance(record, dict):
            return Conversation()
        turns = []
        for raw in record.get("turns") or []:
            try:
                turns.append(self._load_turn(raw))
            except (KeyError, TypeError, ValueError, IndexError):
                continue
        session = record.get("session")
        next_id = record.get("next")
        return Conversation(
            session if isinstance(session, str) else None,
            turns[-KEPT_TURNS:],
            next_id if isinstance(next_id, int) else max((t.id for t in turns), default=0) + 1,
        )

    def _dump_turn(self, turn: StoredTurn) -> dict[str, Any]:
        answer = turn.answer
        return {
            "id": turn.id,
            "q": turn.question,
            "a": answer.text,
            "o": answer.outcome,
            "l": answer.language,
            "c": [[c.n, c.id, c.start, c.end] for c in answer.citations],
            "s": [[c.n, c.id, c.start, c.end] for c in answer.see_also],
            "f": turn.feedback,
            "fc": turn.commented,
        }

    def _load_turn(self, raw: dict[str, Any]) -> StoredTurn:
        if raw["o"] not in ("answered", "hedged", "declined") or raw["l"] not in ("sv", "en"):
            raise ValueError(raw["o"])
        answer = Answer(
            str(raw["a"]),
            raw["o"],
            raw["l"],
            [self._citation(c) for c in raw["c"]],
            [self._citation(c) for c in raw["s"]],
        )
        feedback = raw.get("f") if raw.get("f") in ("up", "down") else None
        return StoredTurn(int(raw["id"]), str(raw["q"]), answer, feedback, bool(raw.get("fc")))

    def _citation(self, raw: list[Any]) -> Citation:
        n, chunk_id, start, end = int(raw[0]), str(raw[1]), int(raw[2]), int(raw[3])
        return indexed_citation(n, chunk_id, start, end, self.chunks, self.documents)

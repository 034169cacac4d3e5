"""Thumbs up/down on answers, kept in an append-only JSONL log that feeds the eval suites.

One line per vote, written with a single ``write`` under an exclusive file lock and fsynced, so
concurrent writers (API workers, the chat) never interleave and a crash never leaves half a line.
The log has a size bound: when a vote would cross it the vote is refused and nothing already
logged is touched. Records hold what was asked and answered, never who asked (no IP, no key).
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from assistant.answer import Citation, Outcome
from assistant.api.settings import ApiSettings
from assistant.conversation import Turn

Vote = Literal["up", "down"]


class FeedbackRecord(BaseModel):
    """One vote on one answer, with the conversation it answered and what it cited."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str
    history: list[Turn] = Field(default_factory=list, description="The turns before the question, oldest first.")
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    outcome: Outcome
    vote: Vote
    comment: str | None = None
    time: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC), description="When the vote arrived (UTC).")


class RecordTooLarge(ValueError):
    """Even without its history the record is over the per-record bound; the message gives the sizes."""


def fitted(record: FeedbackRecord, max_bytes: int) -> FeedbackRecord:
    """The record with its oldest history turns dropped (a question and its answer at a time) until its
    log line is at most ``max_bytes``: a vote is about its answer, and the newest turns are what it followed."""
    history = list(record.history)
    while True:
        candidate = record.model_copy(update={"history": history})
        size = len(candidate.model_dump_json().encode("utf-8")) + 1
        if size <= max_bytes:
            return candidate
        if not history:
            raise RecordTooLarge(f"the vote's record would be {size} bytes; at most {max_bytes} are kept")
        history = history[2:] if len(history) > 1 and history[0].role == "user" else history[1:]


class FeedbackFull(Exception):
    """The log has reached its size bound; the vote was not recorded and the log is unchanged."""


class FeedbackLogError(ValueError):
    """The log is missing or a line of it is not a feedback record; the message names the line."""


class FeedbackLog:
    """The JSONL file of votes at ``path``, never larger than ``max_bytes``."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> FeedbackLog:
        return cls(settings.feedback_path, settings.feedback_max_bytes)

    def append(self, record: FeedbackRecord) -> None:
        """Add one line, durably; raise ``FeedbackFull`` (log unchanged) past the size bound."""
        line = (record.model_dump_json() + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released by close
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # a hand-edited last line without its newline stays its own line
            if size + len(line) > self.max_bytes:
                raise FeedbackFull(
                    f"the feedback log is full ({size} of {self.max_bytes} bytes, MOTIONQA_FEEDBACK_MAX_BYTES); "
                    "export and archive it to make room"
                )
            _write_whole(fd, line, size)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.path.parent)

    def read(self) -> list[FeedbackRecord]:
        """Every record in order; ``FeedbackLogError`` for a missing log or a line that is not a record."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FeedbackLogError(f"no feedback log at {self.path} (MOTIONQA_FEEDBACK_PATH)") from None
        except (OSError, UnicodeDecodeError) as error:
            raise FeedbackLogError(f"cannot read the feedback log {self.path}: {error}") from None
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(FeedbackRecord.model_validate_json(line))
            except ValidationError as error:
                problem = error.errors()[0]
                where = ".".join(str(p) for p in problem["loc"])
                reason = f"{where}: {problem['msg']}" if where else problem["msg"]
                raise FeedbackLogError(f"{self.path}:{number}: not a feedback record ({reason})") from None
        return records


def _write_whole(fd: int, data: bytes, size_before: int) -> None:
    """One ``write`` of the whole line; on a short or failed write, cut the file back so no half line stays."""
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to the feedback log ({written} of {len(data)} bytes; disk full?)")
    except OSError:
        os.ftruncate(fd, size_before)
        raise


def _fsync_dir(folder: Path) -> None:
    """Make a new log's directory entry durable, not only its content."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

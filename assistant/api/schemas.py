"""Request and response bodies of the public API; field names are a contract, keep them.

The example questions in the OpenAPI document come from the motion's metadata (``openapi.py``), not from here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

# Hard caps that hold whatever the settings say; the configurable limits are checked in validation.py.
HARD_TEXT_LIMIT = 100_000
HARD_HISTORY_LIMIT = 1_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TurnIn(Strict):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=HARD_TEXT_LIMIT)


# The fields the HTTP API and the MCP tools share, so both check them alike.
UserText = Annotated[str, Field(max_length=HARD_TEXT_LIMIT)]
PassageCount = Annotated[int, Field(ge=1, le=50, strict=True)]  # strict: JSON true or "5" is not a k
SearchMode = Literal["hybrid", "dense", "bm25"]
History = Annotated[list[TurnIn] | None, Field(max_length=HARD_HISTORY_LIMIT)]


class SearchRequest(Strict):
    query: UserText
    k: PassageCount = 5
    mode: SearchMode = "hybrid"
    history: History = None


class SearchResult(BaseModel):
    id: str
    doc_id: str
    text: str
    score: float
    section: str
    start: int
    end: int
    kind: str
    yrkande: int | None = None
    footnote: int | None = None


class SearchResponse(BaseModel):
    results: list[SearchResult]


class AskRequest(Strict):
    question: UserText
    history: History = None
    session_id: str | None = Field(
        None, max_length=200, description="Continue this server-side conversation (from an earlier answer)."
    )
    new_session: bool = Field(
        False,
        strict=True,
        description="Start a server-side conversation; the answer's `session_id` continues it. Without this "
        "(or `session_id`) the ask is stateless and stores nothing.",
    )
    k: PassageCount | None = None


class CitationOut(BaseModel):
    n: int
    id: str
    doc_id: str
    text: str
    section: str
    start: int
    end: int
    yrkande: int | None = None
    footnote: int | None = None


class AskResponse(BaseModel):
    answer: str
    answerable: bool = Field(description="False only when declined; kept for clients older than `outcome`.")
    outcome: Literal["answered", "hedged", "declined"] = Field(
        description="answered: the quotes answer it; hedged: the motion seems not to answer it directly, the "
        "closest passages are quoted; declined: the motion does not address it (or a follow-up lacks context)."
    )
    citations: list[CitationOut]
    see_also: list[CitationOut] = Field(default_factory=list, description="Closest passages when abstaining.")
    session_id: str | None = Field(description="The conversation this answer belongs to; null for a stateless ask.")
    language: Literal["sv", "en"]


class CitationIn(Strict):
    """A citation sent back with a vote, as ``/api/ask`` gave it: checked against the index."""

    n: int = Field(ge=1, le=HARD_HISTORY_LIMIT, strict=True)
    id: str = Field(max_length=200)
    doc_id: str = Field(max_length=200)
    text: str = Field(max_length=HARD_TEXT_LIMIT)
    section: str = Field(max_length=HARD_TEXT_LIMIT)
    start: int = Field(ge=0, strict=True)
    end: int = Field(ge=1, strict=True)
    yrkande: int | None = None
    footnote: int | None = None


class FeedbackRequest(Strict):
    """A vote on an answer from ``/api/ask``: send back what was asked and what came back."""

    question: UserText
    history: History = None
    answer: str = Field(max_length=HARD_TEXT_LIMIT, description="The answer text as returned.")
    citations: list[CitationIn] = Field(default_factory=list, max_length=50)
    outcome: Literal["answered", "hedged", "declined"] = Field(description="The answer's `outcome`.")
    vote: Literal["up", "down"]
    comment: str | None = Field(None, max_length=HARD_TEXT_LIMIT, description="Optional: what was wrong or right.")


class FeedbackReceipt(BaseModel):
    status: Literal["recorded"]
    time: str = Field(description="When the vote was recorded (UTC, ISO 8601).")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    party: str
    riksmote: str
    language: str
    counts: dict[str, int] = Field(description="Sections, yrkanden and footnotes.")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class SectionOut(BaseModel):
    index: int
    title: str
    parent: str | None
    start: int
    end: int


class NumberedText(BaseModel):
    number: int
    text: str
    start: int
    end: int
    section: str | None = None


class DocumentDetail(DocumentSummary):
    sections: list[SectionOut]
    yrkanden: list[NumberedText]
    footnotes: list[NumberedText]
    text: str = Field(description="The clean text that every start/end offset refers to.")


class PassageOut(SearchResult):
    context_before: str = Field(
        description="The document's text before the passage: up to 300 characters (MCP: up to `context`)."
    )
    context_after: str = Field(
        description="The document's text after the passage: up to 300 characters (MCP: up to `context`)."
    )


class HealthModel(BaseModel):
    """The embedding model the index was built with (its centroid, 384 floats, is left out)."""

    id: str
    checksum: str | None = None
    dimension: int | None = None
    query_prompt: str | None = None
    passage_prompt: str | None = None


class ChunkerSettings(BaseModel):
    size: int
    overlap: int


class IndexedDocument(BaseModel):
    doc_id: str
    title: str
    sha256: str


class HealthIndex(BaseModel):
    schema_version: int
    built_at: str | None = None
    counts: dict[str, int] | None = Field(None, description="chunks, sentences, and chunks per kind.")
    chunker: ChunkerSettings | None = None
    faiss_factory: str | None = None
    documents: list[IndexedDocument] | None = None


class CacheStats(BaseModel):
    hits: int
    misses: int
    size: int
    capacity: int


class Liveness(BaseModel):
    """All ``/api/health`` tells a caller without the key (when ``MOTIONQA_API_KEY`` is set)."""

    status: Literal["ok"]


class HealthResponse(Liveness):
    """Liveness and the details: to a caller with the key, or to anyone when no key is set."""

    model: HealthModel
    index: HealthIndex
    sessions: int = Field(description="Open API conversations.")
    chat_sessions: int = Field(description="Open chat conversations (browser tabs).")
    caches: dict[str, CacheStats] = Field(description="query_embeddings and answers.")
    uptime_seconds: float

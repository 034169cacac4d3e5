"""The MCP server: the motion's search and cited answers as tools for AI assistants (Claude Desktop, IDE agents).

Every tool is a thin door onto the one ``Assistant``: the HTTP API's checks (``validation.py``), result
shapes (``schemas.py``) and time limit, so both doors answer alike. Pydantic types on each tool give
MCP clients its input and output schemas; bad input comes back as a tool error (``isError``) with the
API's message. ``motionqa mcp`` serves it over stdio, the app at ``/mcp`` over streamable HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi.exceptions import RequestValidationError
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field

from assistant.api.errors import problem_line
from assistant.api.requests import off_the_loop, too_slow
from assistant.api.routes.answers import ask_response, search_result
from assistant.api.routes.documents import CONTEXT_CHARS, numbered_footnote, numbered_yrkande, passage_in_context
from assistant.api.schemas import (
    AskResponse,
    History,
    NumberedText,
    PassageCount,
    PassageOut,
    SearchMode,
    SearchResponse,
    UserText,
)
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_history, clean_text
from assistant.api.version import package_version
from assistant.service import Assistant
from index.parse.document import Document

T = TypeVar("T")
MAX_CONTEXT_CHARS = 5000
# Every tool only reads the loaded index: clients may call them without asking the user first.
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

DocId = Annotated[
    str | None,
    Field(max_length=200, description="The document's doc_id; needed only when the index holds several documents."),
]
Number = Annotated[int, Field(ge=1)]


class YrkandeList(BaseModel):
    yrkanden: list[NumberedText] = Field(description="Every proposal (yrkande) of the motion, in order.")


class MotionTools:
    """The tools, as methods: their signatures are the input schemas, their return types the output schemas."""

    def __init__(self, assistant: Assistant, settings: ApiSettings) -> None:
        self.assistant = assistant
        self.settings = settings

    async def search(
        self,
        query: Annotated[UserText, Field(description="A question or keywords, Swedish or English.")],
        k: Annotated[PassageCount, Field(description="How many passages.")] = 5,
        mode: Annotated[SearchMode, Field(description="hybrid (default), dense (vectors) or bm25 (words).")] = "hybrid",
    ) -> SearchResponse:
        """Ranked passages of the motion for a query, each with its id, character offsets into the motion's
        text, section, and the yrkande or footnote number it is (if any)."""
        with _as_tool_errors():
            text = clean_text(query, ("query",), self.settings.max_question_chars)
        hits = await self._limited(lambda: self.assistant.search(text, k, mode))
        return SearchResponse(results=[search_result(hit.chunk, hit.score) for hit in hits])

    async def ask(
        self,
        question: Annotated[UserText, Field(description="The question, Swedish or English.")],
        history: Annotated[
            History, Field(description="Earlier turns, oldest first, for a follow-up such as 'Varför?'.")
        ] = None,
    ) -> AskResponse:
        """A short answer whose every sentence is quoted from the motion and cited with offsets. The outcome says
        whether it answers the question, hedges (closest passages only) or declines (the motion does not say)."""
        with _as_tool_errors():
            text = clean_text(question, ("question",), self.settings.max_question_chars)
            turns = clean_history(history, self.settings)
        return ask_response(await self._limited(lambda: self.assistant.ask(text, turns)))

    async def get_passage(
        self,
        id: Annotated[str, Field(max_length=200, description="A passage id from search or ask.")],
        context: Annotated[
            int, Field(ge=0, le=MAX_CONTEXT_CHARS, description="Characters of the motion to add on either side.")
        ] = CONTEXT_CHARS,
    ) -> PassageOut:
        """One passage with the motion's text around it, to read a quote in context."""
        chunk = self.assistant.chunks_by_id.get(id)
        if chunk is None:
            raise ToolError(f"no passage {id!r}; search and ask return passage ids")
        return passage_in_context(self.assistant, chunk, context)

    async def list_yrkanden(self, doc_id: DocId = None) -> YrkandeList:
        """Every proposal (yrkande) the motion puts to the Riksdag, numbered, with the section that argues it."""
        document = self._document(doc_id)
        return YrkandeList(yrkanden=[numbered_yrkande(document, y) for y in document.yrkanden])

    async def get_yrkande(
        self, number: Annotated[Number, Field(description="The yrkande's number.")], doc_id: DocId = None
    ) -> NumberedText:
        """One proposal (yrkande) by its number: its wording, offsets and the section that argues it."""
        document = self._document(doc_id)
        found = next((y for y in document.yrkanden if y.number == number), None)
        if found is None:
            raise ToolError(f"no yrkande {number}; {_numbered('yrkanden', [y.number for y in document.yrkanden])}")
        return numbered_yrkande(document, found)

    async def get_footnote(
        self, number: Annotated[Number, Field(description="The footnote's number.")], doc_id: DocId = None
    ) -> NumberedText:
        """One footnote by its number: the source the motion gives, with offsets."""
        document = self._document(doc_id)
        found = next((f for f in document.footnotes if f.number == number), None)
        if found is None:
            raise ToolError(f"no footnote {number}; {_numbered('footnotes', [f.number for f in document.footnotes])}")
        return numbered_footnote(document, found)

    def _document(self, doc_id: str | None) -> Document:
        documents = self.assistant.index.documents
        if doc_id is not None:
            if doc_id not in documents:
                raise ToolError(f"no document {doc_id!r}; the index holds {', '.join(documents)}")
            return documents[doc_id]
        if len(documents) > 1:
            raise ToolError(f"the index holds {len(documents)} documents: give doc_id, one of {', '.join(documents)}")
        return next(iter(documents.values()))

    async def _limited(self, work: Callable[[], T]) -> T:
        limit = self.settings.request_timeout_seconds
        try:
            return await off_the_loop(work, limit)
        except TimeoutError:
            raise ToolError(too_slow(limit)) from None


def create_mcp(assistant: Assistant, settings: ApiSettings) -> MCPServer:
    """The MCP server over one loaded assistant; transports are the caller's (stdio or ``/mcp``)."""
    titles = "; ".join(
        f"{d.meta.title} ({d.meta.party}, {d.meta.riksmote})" for d in assistant.index.documents.values()
    )
    with _logging_left_alone():
        server: MCPServer = MCPServer(
            name="motionqa",
            title="motionqa",
            version=package_version(),
            instructions=f"Search and quote a Swedish Riksdag motion: {titles}. Answers quote the motion "
            "verbatim with character offsets into its text; ask says when the motion does not address a question.",
        )
    tools = MotionTools(assistant, settings)
    for tool in (
        tools.search,
        tools.ask,
        tools.get_passage,
        tools.list_yrkanden,
        tools.get_yrkande,
        tools.get_footnote,
    ):
        server.add_tool(tool, annotations=READ_ONLY)
    return server


@contextmanager
def _as_tool_errors() -> Iterator[None]:
    """The API's checks raise 422s; here the same problems are one tool error ("question: Must not be empty")."""
    try:
        yield
    except RequestValidationError as error:
        raise ToolError("; ".join(problem_line(problem) for problem in error.errors())) from None


@contextmanager
def _logging_left_alone() -> Iterator[None]:
    """``MCPServer()`` calls ``logging.basicConfig`` (python-sdk issue #1656), which would take over the
    process' logging (the access log's format, every library's INFO lines); a placeholder root handler
    makes that call a no-op."""
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        yield
    finally:
        root.removeHandler(placeholder)


def _numbered(kind: str, numbers: list[int]) -> str:
    return f"the motion's {kind} are numbered {min(numbers)}–{max(numbers)}" if numbers else f"the motion has no {kind}"

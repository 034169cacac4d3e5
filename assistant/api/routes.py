"""The ``/api`` endpoints; thin: validate, call the ``Assistant``, shape the response."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, HTTPException, Request
from sse_starlette.sse import EventSourceResponse

from assistant.answer import Citation
from assistant.api.errors import BODY_ERRORS, documented, invalid
from assistant.api.schemas import (
    AskRequest,
    AskResponse,
    CacheStats,
    CitationOut,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    HealthIndex,
    HealthModel,
    HealthResponse,
    NumberedText,
    PassageOut,
    SearchRequest,
    SearchResponse,
    SearchResult,
    SectionOut,
)
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_history, clean_text
from assistant.conversation import UnknownSession
from assistant.service import AskResult, Assistant
from index.chunker import Chunk
from index.parse.document import Document

router = APIRouter()
health_router = APIRouter()
T = TypeVar("T")
CONTEXT_CHARS = 300
# One Server-Sent Event (OpenAPI 3.1: the schema of a text/event-stream response describes each event).
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "citations", "done"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def api_settings(request: Request) -> ApiSettings:
    """The API layer's settings (limits, key) the app was created with."""
    return request.app.state.settings


async def _with_time_limit(request: Request, work: Callable[[], T]) -> T:
    """Run blocking work off the event loop; past the limit answer 504 and let other requests go on.

    The worker thread is abandoned, not waited for: it finishes (or hits the LLM timeout) on its own.
    """
    limit = api_settings(request).request_timeout_seconds
    try:
        return await asyncio.wait_for(to_thread.run_sync(work, abandon_on_cancel=True), timeout=limit)
    except TimeoutError:
        raise HTTPException(504, f"the request took longer than {limit:g} s") from None


@router.post(
    "/search",
    operation_id="search",
    response_model=SearchResponse,
    summary="Ranked passages for a query",
    responses=documented(*BODY_ERRORS, 504),
)
async def search(body: SearchRequest, request: Request) -> SearchResponse:
    assistant = _assistant(request)
    query = clean_text(body.query, ("query",), api_settings(request).max_question_chars)
    history = clean_history(body.history, api_settings(request))
    hits = await _with_time_limit(request, lambda: assistant.search(query, body.k, body.mode, history))
    return SearchResponse(results=[_result(h.chunk, h.score) for h in hits])


def _result(chunk: Chunk, score: float) -> SearchResult:
    return SearchResult(
        id=chunk.id,
        doc_id=chunk.doc_id,
        text=chunk.text,
        score=score,
        section=chunk.section,
        start=chunk.start,
        end=chunk.end,
        kind=chunk.kind,
        yrkande=chunk.yrkande,
        footnote=chunk.footnote,
    )


async def _answer(body: AskRequest, request: Request) -> AskResult:
    assistant = _assistant(request)
    question = clean_text(body.question, ("question",), api_settings(request).max_question_chars)
    history = clean_history(body.history, api_settings(request))
    if body.new_session and body.session_id is not None:
        message = "Give session_id to continue a conversation or new_session to start one, not both"
        raise invalid(("new_session",), message, "session_conflict")
    session_id = assistant.sessions.create() if body.new_session else body.session_id
    request.state.session_id = session_id
    try:
        return await _with_time_limit(request, lambda: assistant.ask(question, history, session_id, body.k))
    except UnknownSession:
        raise HTTPException(404, "unknown or expired session_id; send new_session: true to start a new one") from None


@router.post(
    "/ask",
    operation_id="ask",
    response_model=AskResponse,
    summary="A cited answer (or an honest abstention)",
    responses=documented(*BODY_ERRORS, 404, 504),
)
async def ask(body: AskRequest, request: Request) -> AskResponse:
    return _ask_response(await _answer(body, request))


def _ask_response(result: AskResult) -> AskResponse:
    answer = result.answer
    return AskResponse(
        answer=answer.text,
        answerable=answer.answerable,
        outcome=answer.outcome,
        citations=[_citation(c) for c in answer.citations],
        see_also=[_citation(c) for c in answer.see_also],
        session_id=result.session_id,
        language=answer.language,
    )


def _citation(citation: Citation) -> CitationOut:
    return CitationOut(**asdict(citation))


@router.post(
    "/ask/stream",
    operation_id="askStream",
    summary="The answer as Server-Sent Events: delta…, citations, done",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "`event: delta` pieces of the answer, then `event: citations`, then `event: done`.",
            "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}},
        },
        **documented(*BODY_ERRORS, 404, 504),
    },
)
async def ask_stream(body: AskRequest, request: Request) -> EventSourceResponse:
    result = await _answer(body, request)
    assistant = _assistant(request)

    async def events() -> AsyncIterator[dict[str, Any]]:
        for event in assistant.stream(result):
            yield {"event": event.event, "data": json.dumps(event.data, ensure_ascii=False)}

    return EventSourceResponse(events())


@router.get("/documents", operation_id="listDocuments", response_model=DocumentList, summary="The indexed documents")
async def documents(request: Request) -> DocumentList:
    return DocumentList(documents=[_summary(d) for d in _assistant(request).index.documents.values()])


def _summary(document: Document) -> DocumentSummary:
    meta = document.meta
    return DocumentSummary(
        doc_id=meta.doc_id,
        title=meta.title,
        party=meta.party,
        riksmote=meta.riksmote,
        language=meta.language,
        counts={
            "sections": len(document.sections),
            "yrkanden": len(document.yrkanden),
            "footnotes": len(document.footnotes),
        },
    )


@router.get(
    "/documents/{doc_id}",
    operation_id="getDocument",
    response_model=DocumentDetail,
    summary="Metadata, yrkanden and clean text",
    responses=documented(404),
)
async def document(doc_id: str, request: Request) -> DocumentDetail:
    found = _assistant(request).index.documents.get(doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r}; GET /api/documents lists them")
    return DocumentDetail(
        **_summary(found).model_dump(),
        sections=[
            SectionOut(index=s.index, title=s.title, parent=s.parent, start=s.start, end=s.end) for s in found.sections
        ],
        yrkanden=[
            NumberedText(
                number=y.number,
                text=found.slice(y),
                start=y.start,
                end=y.end,
                section=found.section_title(y.section) or None,
            )
            for y in found.yrkanden
        ],
        footnotes=[
            NumberedText(number=f.number, text=found.slice(f), start=f.start, end=f.end) for f in found.footnotes
        ],
        text=found.text,
    )


@router.get(
    "/passages/{passage_id}",
    operation_id="getPassage",
    response_model=PassageOut,
    summary="One passage with surrounding text",
    responses=documented(404),
)
async def passage(passage_id: str, request: Request) -> PassageOut:
    assistant = _assistant(request)
    chunk = assistant.chunks_by_id.get(passage_id)
    if chunk is None:
        raise HTTPException(404, f"no passage {passage_id!r}")
    text = assistant.index.documents[chunk.doc_id].text
    return PassageOut(
        **_result(chunk, 0.0).model_dump(),
        context_before=text[max(0, chunk.start - CONTEXT_CHARS) : chunk.start],
        context_after=text[chunk.end : chunk.end + CONTEXT_CHARS],
    )


@health_router.get(
    "/health", operation_id="health", response_model=HealthResponse, summary="Liveness, index summary and model"
)
async def health(request: Request) -> HealthResponse:
    assistant = _assistant(request)
    manifest = assistant.index.manifest.model_dump(mode="json")
    return HealthResponse(
        status="ok",
        # the manifest's model and embedding entries; extra keys (the centroid) are dropped by the model
        model=HealthModel.model_validate({**manifest["model"], **manifest["embedding"]}),
        index=HealthIndex.model_validate(manifest),
        sessions=len(assistant.sessions),
        chat_sessions=len(assistant.chat_sessions),
        caches={name: CacheStats.model_validate(stats) for name, stats in assistant.cache_stats().items()},
        uptime_seconds=round(assistant.uptime(), 1),
    )

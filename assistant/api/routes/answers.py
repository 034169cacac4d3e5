"""``/api/search``, ``/api/ask`` and ``/api/ask/stream``: passages and cited answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sse_starlette.sse import EventSourceResponse

from assistant.answer import Citation
from assistant.api.errors import BODY_ERRORS, documented, invalid
from assistant.api.limits import client_address
from assistant.api.requests import api_settings, assistant_of, with_time_limit
from assistant.api.schemas import AskRequest, AskResponse, CitationOut, SearchRequest, SearchResponse, SearchResult
from assistant.api.validation import clean_history, clean_text
from assistant.conversation import UnknownSession
from assistant.service import AskResult
from assistant.streaming import answer_events
from index.chunker import Chunk

router = APIRouter()
# One Server-Sent Event (OpenAPI 3.1: the schema of a text/event-stream response describes each event).
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "citations", "done"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


@router.post(
    "/search",
    operation_id="search",
    response_model=SearchResponse,
    summary="Ranked passages for a query",
    responses=documented(*BODY_ERRORS, 504),
)
async def search(body: SearchRequest, request: Request) -> SearchResponse:
    assistant = assistant_of(request)
    query = clean_text(body.query, ("query",), api_settings(request).max_question_chars)
    history = clean_history(body.history, api_settings(request))
    hits = await with_time_limit(request, lambda: assistant.search(query, body.k, body.mode, history))
    return SearchResponse(results=[search_result(h.chunk, h.score) for h in hits])


def search_result(chunk: Chunk, score: float) -> SearchResult:
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
    assistant = assistant_of(request)
    question = clean_text(body.question, ("question",), api_settings(request).max_question_chars)
    history = clean_history(body.history, api_settings(request))
    if body.new_session and body.session_id is not None:
        message = "Give session_id to continue a conversation or new_session to start one, not both"
        raise invalid(("new_session",), message, "session_conflict")
    session_id = assistant.sessions.create(owner=client_address(request.scope)) if body.new_session else body.session_id
    request.state.session_id = session_id
    try:
        return await with_time_limit(request, lambda: assistant.ask(question, history, session_id, body.k))
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
    return ask_response(await _answer(body, request))


def ask_response(result: AskResult) -> AskResponse:
    """The answer as the API and the MCP ``ask`` tool return it."""
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

    async def events() -> AsyncIterator[dict[str, Any]]:
        for event in answer_events(result):
            yield {"event": event.event, "data": json.dumps(event.data, ensure_ascii=False)}

    return EventSourceResponse(events())

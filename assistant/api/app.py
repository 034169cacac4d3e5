"""Assemble the FastAPI application around one loaded ``Assistant``."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.routing import Match, Mount

from assistant.api.feedback_routes import feedback_router
from assistant.api.middleware import AccessLogMiddleware, BodyLimitMiddleware
from assistant.api.openai_compat import openai_router
from assistant.api.routes import health_router, router
from assistant.api.schemas import error_responses
from assistant.api.security import require_api_key
from assistant.service import Assistant

API_PREFIX = "/api"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
OPENAI_PREFIX = "/v1"


def create_api(assistant: Assistant) -> FastAPI:
    """The API app: ``/api/*`` routes, OpenAPI at ``/docs``, JSON errors for every bad request."""
    settings = assistant.settings
    app = FastAPI(
        title="motionqa",
        description="Cited question answering over a Swedish Riksdag motion.",
        version="0.1.0",
    )
    app.state.assistant = assistant
    app.include_router(health_router, prefix=API_PREFIX, tags=["health"], responses=error_responses(413))
    app.include_router(
        router,
        prefix=API_PREFIX,
        tags=["motion"],
        dependencies=[Depends(require_api_key(settings))],
        responses=error_responses(400, 401, 413, 422),
    )
    app.include_router(
        feedback_router,
        prefix=API_PREFIX,
        tags=["feedback"],
        dependencies=[Depends(require_api_key(settings))],
        responses=error_responses(400, 401, 413, 422),
    )
    app.include_router(
        openai_router,
        prefix=OPENAI_PREFIX,
        tags=["openai-compatible"],
        dependencies=[Depends(require_api_key(settings))],
        responses=error_responses(400, 401, 413, 422),
    )
    for prefix in (API_PREFIX, OPENAI_PREFIX):
        app.add_api_route(f"{prefix}/{{path:path}}", _no_such_route, methods=ALL_METHODS, include_in_schema=False)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_request_bytes, read_timeout=settings.request_read_timeout_seconds
    )
    app.add_middleware(AccessLogMiddleware)
    _enable_access_log()
    return app


async def _no_such_route(request: Request) -> JSONResponse:
    """405 (with ``Allow``) or 404 for anything under ``/api`` or ``/v1`` no route takes.

    Registered last among the API routes: without it the chat mounted at ``/`` answers every
    unmatched path, so a wrong method on an API endpoint came back as Gradio's 404.
    """
    allowed = [method for method in ALL_METHODS if _routed(request, method)]
    if allowed:
        detail = f"method {request.method} not allowed here; use {', '.join(allowed)}"
        return JSONResponse(status_code=405, content={"detail": detail}, headers={"Allow": ", ".join(allowed)})
    return JSONResponse(status_code=404, content={"detail": "Not Found"})


def _routed(request: Request, method: str) -> bool:
    """Whether an API route (not this fallback, not the chat's mount) takes this path with ``method``."""
    scope = {**request.scope, "method": method}
    return any(
        route.matches(scope)[0] is Match.FULL
        for route in request.app.router.routes
        if not isinstance(route, Mount) and getattr(route, "endpoint", None) is not _no_such_route
    )


def _enable_access_log() -> None:
    """INFO lines of ``motionqa.access`` reach stderr even when nobody configured logging (``motionqa serve``).

    Where handlers exist already (an embedding app, pytest's capture), the lines just propagate to them.
    """
    access = logging.getLogger("motionqa.access")
    access.setLevel(logging.INFO)
    if not access.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    """422 with one readable sentence plus the structured list (no echo of huge inputs)."""
    assert isinstance(error, RequestValidationError)  # registered for this type only
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg', 'invalid')}"
        for e in error.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": "; ".join(problems)[:2000]})


async def _internal_error(request: Request, error: Exception) -> JSONResponse:
    """A bug is still a JSON answer; the traceback goes to the server log, never to the client."""
    return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

"""Assemble the FastAPI application around one loaded ``Assistant``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.routing import Match, Mount
from starlette.types import Lifespan

from assistant.api.errors import OPENAI_PREFIX, documented, error_body, install_error_handlers
from assistant.api.limits import ClientLimits, ForwardedHeadersMiddleware, RequestRateMiddleware
from assistant.api.mcp_server import create_mcp
from assistant.api.middleware import AccessLogMiddleware, BodyLimitMiddleware, SecurityHeadersMiddleware
from assistant.api.openapi import example_questions, install_openapi
from assistant.api.routes import answers, documents, feedback, health, mcp, openai
from assistant.api.security import require_api_key
from assistant.api.settings import ApiSettings, Settings
from assistant.api.version import package_version
from assistant.service import Assistant
from index.parse.corpus import load_metadata, source_files

API_PREFIX = "/api"
DOCS_PAGES = ("/docs", "/redoc")  # Swagger UI and ReDoc
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
DESCRIPTION = """Cited question answering over a Swedish Riksdag motion.

**Errors.** Under `/api`: a 422 is FastAPI's structured list, `{"detail": [{"loc": [...], "msg": "...",
"type": "..."}]}`, for schema errors and for motionqa's own checks alike (blank or over-long text, control
characters, too much history); every other error is `{"detail": "one sentence"}`. Under `/v1`, every
error is OpenAI's `{"error": {"message", "type", "param", "code"}}`, so OpenAI clients raise their usual
exceptions. MCP clients reach the same tools at `/mcp` (streamable HTTP, the same key as a bearer token).
Each operation lists the statuses it can give. Besides those, the server refuses any request
whose body is over `MOTIONQA_MAX_REQUEST_BYTES` (413) or arrives too slowly (408), whose headers are over
`MOTIONQA_MAX_HEADER_BYTES` / `MOTIONQA_MAX_HEADERS_BYTES` (431), or whose client address is past
`MOTIONQA_CLIENT_REQUEST_RATE` or `MOTIONQA_MAX_CONNECTIONS_PER_CLIENT` (429 with `Retry-After`), whatever
the route, and answers 503 (plain text) past `MOTIONQA_MAX_CONNECTIONS`; a wrong method is a 405 with `Allow`.
"""


def create_api(assistant: Assistant, settings: ApiSettings) -> FastAPI:
    """The API app: ``/api/*`` and ``/v1/*`` routes, OpenAPI at ``/docs``, JSON errors for every bad request.

    ``settings`` are the API layer's (key, limits, CORS); the assistant keeps its own service settings.
    """
    tools = create_mcp(assistant, settings)
    examples = example_questions(doc.meta for doc in assistant.index.documents.values())
    # The MCP transport's task group runs for the app's lifetime.
    app = _routed_app(settings, examples, lifespan=lambda _: tools.session_manager.run())
    app.state.assistant = assistant
    app.state.mcp_transport = mcp.mcp_transport(tools, settings)
    _enable_access_log()
    return app


def openapi_schema(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document ``create_api`` serves, without an assistant (so without the model or an index):
    the routes make it, and the example questions come from the data folder's metadata instead of the
    index. The documentation site embeds it (``docs/hooks.py``)."""
    examples = example_questions(load_metadata(path) for path in source_files(settings.data_dir))
    return _routed_app(settings, examples).openapi()


def _routed_app(settings: ApiSettings, examples: list[str], lifespan: Lifespan[FastAPI] | None = None) -> FastAPI:
    """Routes, error handlers, the OpenAPI document (``examples`` on its question fields) and middleware:
    everything of the app but the assistant the routes answer with."""
    # /docs and /redoc with their scripts and styles served from the fastapi-offline package, not a CDN.
    docs, redoc = DOCS_PAGES
    app = FastAPIOffline(
        docs_url=docs,
        redoc_url=redoc,
        title="motionqa",
        description=DESCRIPTION,
        version=package_version(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.limits = ClientLimits.from_settings(settings)  # per client address, for any route
    key = [Depends(require_api_key(settings))]  # every route but the health check
    app.include_router(health.router, prefix=API_PREFIX, tags=["health"])
    for resource, tag in ((answers, "motion"), (documents, "motion"), (feedback, "feedback")):
        app.include_router(resource.router, prefix=API_PREFIX, tags=[tag], dependencies=key, responses=documented(401))
    app.include_router(
        openai.router,
        prefix=OPENAI_PREFIX,
        tags=["openai-compatible"],
        dependencies=key,
        responses=documented(401, openai=True),
    )
    app.include_router(mcp.router, dependencies=key)
    for prefix in (API_PREFIX, OPENAI_PREFIX):
        app.add_api_route(f"{prefix}/{{path:path}}", _no_such_route, methods=ALL_METHODS, include_in_schema=False)
    install_error_handlers(app)
    install_openapi(app, examples)
    # Always present, so CORS is off when no origin is listed: a mounted Gradio app otherwise answers
    # cross-origin requests itself, echoing localhost origins (any origin, on other hosts) with credentials.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Mcp-Protocol-Version"],
    )
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_request_bytes, read_timeout=settings.request_read_timeout_seconds
    )
    app.add_middleware(RequestRateMiddleware, limits=app.state.limits)
    app.add_middleware(SecurityHeadersMiddleware, docs_pages=DOCS_PAGES)
    app.add_middleware(ForwardedHeadersMiddleware, proxies=settings.forwarded_allow_ips)
    app.add_middleware(AccessLogMiddleware)
    return app


async def _no_such_route(request: Request) -> JSONResponse:
    """405 (with ``Allow``) or 404 for anything under ``/api`` or ``/v1`` no route takes.

    Registered last among the API routes: without it the chat mounted at ``/`` answers every
    unmatched path, so a wrong method on an API endpoint came back as Gradio's 404.
    """
    allowed = [method for method in ALL_METHODS if _routed(request, method)]
    if allowed:
        detail = f"method {request.method} not allowed here; use {', '.join(allowed)}"
        content = error_body(request.url.path, 405, detail)
        return JSONResponse(status_code=405, content=content, headers={"Allow": ", ".join(allowed)})
    return JSONResponse(status_code=404, content=error_body(request.url.path, 404, "Not Found"))


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

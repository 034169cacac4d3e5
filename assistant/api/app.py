"""Assemble the FastAPI application around one loaded ``Assistant``."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from assistant.api.middleware import AccessLogMiddleware, BodyLimitMiddleware
from assistant.api.routes import health_router, router
from assistant.api.security import require_api_key
from assistant.service import Assistant

API_PREFIX = "/api"


def create_api(assistant: Assistant) -> FastAPI:
    """The API app: ``/api/*`` routes, OpenAPI at ``/docs``, JSON errors for every bad request."""
    settings = assistant.settings
    app = FastAPI(
        title="motionqa",
        description="Cited question answering over a Swedish Riksdag motion.",
        version="0.1.0",
    )
    app.state.assistant = assistant
    app.include_router(health_router, prefix=API_PREFIX, tags=["health"])
    app.include_router(router, prefix=API_PREFIX, tags=["motion"], dependencies=[Depends(require_api_key(settings))])
    app.add_exception_handler(RequestValidationError, _validation_error)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(AccessLogMiddleware)
    logging.getLogger("motionqa.access").setLevel(logging.INFO)
    return app


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    """422 with one readable sentence plus the structured list (no echo of huge inputs)."""
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg', 'invalid')}"
        for e in error.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": "; ".join(problems)[:2000]})

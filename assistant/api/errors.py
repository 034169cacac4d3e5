"""The error bodies of the HTTP API, their OpenAPI documentation and the handlers that produce them.

One place decides the shape, by path: under ``/v1`` the OpenAI error object that OpenAI clients
parse (``{"error": {"message", "type", "param", "code"}}``); everywhere else FastAPI's shapes,
``{"detail": [{"loc", "msg", "type"}, ...]}`` for a 422 and ``{"detail": "one sentence"}`` for any
other status. The handlers, the body-limit middleware and the unknown-route fallback all use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

OPENAI_PREFIX = "/v1"
MAX_PROBLEMS = 20  # a body with thousands of bad fields gets the first ones, not a megabyte of errors
MAX_TEXT = 300  # per message and per location part: never echo a huge input back

Loc = tuple[str | int, ...]


class ValidationProblem(BaseModel):
    loc: list[str | int] = Field(
        description='Where: "body" then the field path, e.g. ["body", "history", 2, "content"].'
    )
    msg: str = Field(description="What is wrong, in one sentence.")
    type: str = Field(description="A stable code: pydantic's (missing, string_type, …) or motionqa's (text_empty, …).")


class ValidationErrorResponse(BaseModel):
    """A 422 of ``/api``: every problem found in the request, FastAPI's structured list."""

    detail: list[ValidationProblem]


class ErrorResponse(BaseModel):
    """Any other 4xx/5xx of ``/api``: one readable sentence."""

    detail: str


class OpenAIError(BaseModel):
    message: str
    type: Literal["invalid_request_error", "authentication_error", "server_error"]
    param: str | None = Field(description="The first invalid field, dotted (messages.0.role), or null.")
    code: str | None = Field(description="The problem's type for a 422 (e.g. missing), else a status name.")


class OpenAIErrorResponse(BaseModel):
    """Every 4xx/5xx of ``/v1``: the error object OpenAI clients expect."""

    error: OpenAIError


_DESCRIPTIONS = {
    400: "The body could not be decoded (not UTF-8).",
    401: "Missing or wrong API key (only when MOTIONQA_API_KEY is set).",
    404: "No such document, passage or session.",
    408: "The body was not received within MOTIONQA_REQUEST_READ_TIMEOUT_SECONDS.",
    413: "The body is over MOTIONQA_MAX_REQUEST_BYTES.",
    422: "Invalid request: schema, empty or over-long text, control characters, too much history.",
    429: "Too many votes from this client address (MOTIONQA_CLIENT_WRITE_RATE); wait Retry-After seconds.",
    503: "The feedback log cannot be written (see the server log); nothing was recorded.",
    504: "The request took longer than MOTIONQA_REQUEST_TIMEOUT_SECONDS.",
    507: "The feedback log reached MOTIONQA_FEEDBACK_MAX_BYTES; nothing was recorded, nothing lost.",
}
# What any operation that takes a request body can answer besides its own errors.
BODY_ERRORS = (400, 408, 413, 422)
_CODES = {400: "bad_body", 401: "invalid_api_key", 404: "not_found", 405: "method_not_allowed", 408: "timeout"}
_CODES |= {
    413: "request_too_large",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
    507: "log_full",
}


def documented(*statuses: int, openai: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error statuses an operation can give, with their body models."""

    def model(status: int) -> type[BaseModel]:
        if openai:
            return OpenAIErrorResponse
        return ValidationErrorResponse if status == 422 else ErrorResponse

    return {status: {"model": model(status), "description": _DESCRIPTIONS[status]} for status in statuses}


def quoted(value: str, limit: int = 60) -> str:
    """A client's value inside an error message: quoted, and cut to ``limit`` characters (never a huge echo)."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def invalid(loc: Loc, msg: str, kind: str) -> RequestValidationError:
    """A 422 for a check the schema cannot express, shaped like pydantic's own (``loc`` under ``body``)."""
    return RequestValidationError([{"loc": ("body", *loc), "msg": msg, "type": kind}])


def error_body(path: str, status: int, detail: str | list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON body of an error at ``path``: OpenAI's error object under ``/v1``, ``{"detail": …}`` elsewhere."""
    if not _is_openai(path):
        return {"detail": detail}
    if isinstance(detail, list):
        first = detail[0] if detail else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        message = "; ".join(problem_line(problem) for problem in detail)
        return _openai_error(message, "invalid_request_error", param, first.get("type"))
    kind = "authentication_error" if status == 401 else "server_error" if status >= 500 else "invalid_request_error"
    return _openai_error(detail, kind, None, _CODES.get(status))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)


def _is_openai(path: str) -> bool:
    return path == OPENAI_PREFIX or path.startswith(f"{OPENAI_PREFIX}/")


def _openai_error(message: str, kind: str, param: str | None, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def problem_line(problem: dict[str, Any]) -> str:
    """One validation problem as "field.path: message" (the OpenAI error's and the MCP tool error's text)."""
    where = ".".join(str(p) for p in problem["loc"] if p != "body")
    return f"{where}: {problem['msg']}" if where else problem["msg"]


def _problems(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """loc, msg and type of each error, bounded; pydantic's ``input``/``ctx``/``url`` are left out (no echo)."""
    return [
        {
            "loc": [p if isinstance(p, int) else str(p)[:MAX_TEXT] for p in error.get("loc", ())],
            "msg": str(error.get("msg", "invalid"))[:MAX_TEXT],
            "type": str(error.get("type", "value_error")),
        }
        for error in errors[:MAX_PROBLEMS]
    ]


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)  # registered for this type only
    return JSONResponse(status_code=422, content=error_body(request.url.path, 422, _problems(error.errors())))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)  # registered for this type only
    content = error_body(request.url.path, error.status_code, str(error.detail))
    return JSONResponse(status_code=error.status_code, content=content, headers=error.headers)


async def _internal_error(request: Request, error: Exception) -> JSONResponse:
    """A bug is still a JSON answer; the traceback goes to the server log (Starlette re-raises), never to the client."""
    return JSONResponse(
        status_code=500, content=error_body(request.url.path, 500, "internal error; see the server log")
    )

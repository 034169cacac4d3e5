"""ASGI middleware: refuse oversized or slow bodies before parsing; browser-facing headers on every
response; log one line per request."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import error_body

logger = logging.getLogger("motionqa.access")
# No content sniffing, no framing by other sites (clickjacking), no full URLs leaked to other sites.
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
]
# The API's documentation pages take everything from this server: ReDoc's sidebar loaded Redocly's logo
# from cdn.redoc.ly, and the browser now refuses it (ReDoc leaves out an image that fails). Inline scripts
# and styles are the pages' own (Swagger UI's start, ReDoc's styled components); ReDoc searches in a blob worker.
DOCS_PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src blob:; frame-ancestors 'none'"
)


class BodyLimitMiddleware:
    """413 for a declared or streamed (chunked) body over ``max_bytes``, before any parsing;
    408 (and the connection closed) for one not received within ``read_timeout`` seconds.

    The body is read here, at most ``max_bytes`` of it, and replayed to the app; reading it
    in the app instead would let the framework turn an abort mid-body into a generic 400.
    The deadline is for the whole body, not per chunk: uvicorn has none, so a client sending
    a byte every few seconds would otherwise hold its connection for ever.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # every route: the API, the chat's /gradio_api/*, /login
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _reject(scope, send, self.max_bytes)
            return
        chunks: list[bytes] = []
        received = 0
        deadline = time.monotonic() + self.read_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                detail = f"request body not received within {self.read_timeout:g} s"
                await _send_json(scope, send, 408, detail, [(b"connection", b"close")])
                return
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await _reject(scope, send, self.max_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: wait for the disconnect, as the server would
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


async def _reject(scope: Scope, send: Send, limit: int) -> None:
    await _send_json(scope, send, 413, f"request body over {limit} bytes")


async def _send_json(
    scope: Scope, send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """The error in the route's shape (OpenAI's under ``/v1``), written before the app ever sees the request."""
    body = json.dumps(error_body(scope["path"], status, detail)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


def on_response_start(send: Send, see: Callable[[Message], None]) -> Send:
    """``send``, with ``see`` shown (and free to change) the response's start message before it goes out."""

    async def watched(message: Message) -> None:
        if message["type"] == "http.response.start":
            see(message)
        await send(message)

    return watched


class SecurityHeadersMiddleware:
    """``SECURITY_HEADERS`` on every response of the app (the API, the docs, the chat and its assets), with
    ``DOCS_PAGE_POLICY`` as the Content-Security-Policy of the pages at ``docs_pages``."""

    def __init__(self, app: ASGIApp, docs_pages: Collection[str]) -> None:
        self.app = app
        self.docs_pages = frozenset(docs_pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs_page = scope["path"] in self.docs_pages

        def add_headers(start: Message) -> None:
            headers = MutableHeaders(scope=start)
            for name, value in SECURITY_HEADERS:
                headers[name.decode()] = value.decode()
            if docs_page:
                headers["content-security-policy"] = DOCS_PAGE_POLICY

        await self.app(scope, receive, on_response_start(send, add_headers))


class AccessLogMiddleware:
    """method, path, status, latency and a hash of the session id: never keys or question text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        def record(start: Message) -> None:
            nonlocal status
            status = start["status"]

        try:
            await self.app(scope, receive, on_response_start(send, record))
        finally:
            session = scope.get("state", {}).get("session_id")
            logger.info(
                json.dumps(
                    {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round(1000 * (time.perf_counter() - started), 2),
                        "session": hashlib.sha256(session.encode()).hexdigest()[:12] if session else None,
                    }
                )
            )

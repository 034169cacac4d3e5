"""Limits per client address, so that no one client can crowd out the others: request rates.

Any route can use them: a FastAPI dependency (``Depends(rate_limit("write"))``), the ASGI middleware
that counts every request (and every ``/login`` attempt), or ``ClientLimits.retry_after`` directly
(the chat's thumbs, which are no FastAPI route). Rates are counted in memory by the ``limits``
library (a sliding-window counter: two numbers per client and kind), per process. The client is
the connection's peer, or the address a trusted proxy forwarded (``ForwardedHeadersMiddleware``).
The cap on open connections per client is the server's (``ui.serving``), as connections exist
before any request does.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any, Literal, cast

import limits
from fastapi import HTTPException, Request
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.api.errors import error_body
from assistant.api.settings import ApiSettings

Kind = Literal["request", "write", "login"]
WHAT: dict[Kind, str] = {"request": "requests", "write": "feedback votes", "login": "login attempts"}
LOGIN_PATHS = ("/login", "/login/")
FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"x-forwarded-port", b"forwarded")


class ClientLimits:
    """How often each client address may do each kind of thing; one instance per app."""

    def __init__(self, rates: dict[Kind, str]) -> None:
        self._limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
        self._rates = {kind: limits.parse(rate) for kind, rate in rates.items()}

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> ClientLimits:
        return cls(
            {
                "request": settings.client_request_rate,
                "write": settings.client_write_rate,
                "login": settings.client_login_rate,
            }
        )

    def retry_after(self, kind: Kind, client: str) -> int | None:
        """Counts one ``kind`` from ``client``: None when within its rate, else the seconds to wait."""
        rate = self._rates[kind]
        if self._limiter.hit(rate, kind, client):
            return None
        reset = self._limiter.get_window_stats(rate, kind, client).reset_time
        return max(1, math.ceil(reset - time.time()))


def client_address(scope: Scope) -> str:
    """The client's address as the app sees it (a trusted proxy's forwarded one, else the peer)."""
    client = scope.get("client")
    return client[0] if client else "unknown"


def too_many(kind: Kind, wait: int) -> tuple[str, dict[str, str]]:
    """The 429's sentence and headers."""
    return f"too many {WHAT[kind]} from your address; try again in {wait} s", {"Retry-After": str(wait)}


def rate_limit(kind: Kind) -> Callable[[Request], Awaitable[None]]:
    """A route dependency: 429 with ``Retry-After`` once the client is past its ``kind`` rate."""

    async def check(request: Request) -> None:
        wait = request.app.state.limits.retry_after(kind, client_address(request.scope))
        if wait is not None:
            detail, headers = too_many(kind, wait)
            raise HTTPException(429, detail, headers=headers)

    return check


class RequestRateMiddleware:
    """Every HTTP request counts toward its client's request rate (and a POST to ``/login`` toward the
    login rate); past either, a 429 in the route's error shape, before the app sees the request."""

    def __init__(self, app: ASGIApp, limits: ClientLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = client_address(scope)
        kinds: list[Kind] = ["request"]
        if scope["method"] == "POST" and scope["path"] in LOGIN_PATHS:
            kinds.append("login")
        for kind in kinds:
            wait = self.limits.retry_after(kind, client)
            if wait is not None:
                detail, headers = too_many(kind, wait)
                body = json.dumps(error_body(scope["path"], 429, detail)).encode()
                raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
                await send({"type": "http.response.start", "status": 429, "headers": raw})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


Networks = list[IPv4Network | IPv6Network]


def trusted(address: str, proxies: Networks) -> bool:
    """Whether ``address`` is one of the proxies whose forwarded headers are believed."""
    try:
        parsed = ip_address(address)
    except ValueError:  # a Unix socket path, or no address at all
        return False
    return any(parsed in network for network in proxies)


class ForwardedHeadersMiddleware:
    """``X-Forwarded-*`` (and ``Forwarded``) only from the proxies in ``MOTIONQA_FORWARDED_ALLOW_IPS``.

    From one of them, uvicorn's ``ProxyHeadersMiddleware`` takes the client address and scheme from
    the headers (and ``X-Forwarded-Host`` reaches the app, where Gradio builds its URLs from it);
    from anyone else the headers are dropped, so no client can pick its own address (and so its
    limits) or the page's root URL.
    """

    def __init__(self, app: ASGIApp, proxies: Networks) -> None:
        self.app = app
        self.proxies = proxies
        # uvicorn's middleware, typed with uvicorn's own ASGI types: the same protocol as Starlette's.
        proxied = ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=[str(p) for p in proxies])
        self.proxied: ASGIApp = cast(ASGIApp, proxied) if proxies else app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            if trusted(client_address(scope), self.proxies):
                await self.proxied(scope, receive, send)
                return
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k not in FORWARDED]}
        await self.app(scope, receive, send)

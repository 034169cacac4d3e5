"""How ``motionqa serve`` runs uvicorn: a deadline for request headers and a cap on connections.

uvicorn has no timeout for receiving a request: its keep-alive timer is not armed on a new
connection and any received byte cancels it, so a client trickling one header byte every few
seconds holds a connection for ever. The body's deadline is in ``BodyLimitMiddleware``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from assistant.api.settings import Settings


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """Closes a connection whose request headers are not complete ``header_timeout`` seconds
    after it opened or after its previous response ended (uvicorn's own keep-alive timer then
    closes idle ones sooner)."""

    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        next_request_waiting = bool(self.pipeline)  # its headers are complete already
        super().on_response_complete()
        if not next_request_waiting and not self.transport.is_closing():
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What ``motionqa serve`` passes to uvicorn (and the tests too): slow clients cut off, connections capped."""

    class Protocol(HeaderDeadlineProtocol):
        header_timeout = settings.request_read_timeout_seconds

    return {
        "log_level": "warning",
        "http": Protocol,
        # uvicorn answers 503 once it holds ``limit_concurrency`` connections, counting the new one.
        "limit_concurrency": settings.max_connections + 1,
    }

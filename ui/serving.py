"""How ``motionqa serve`` runs uvicorn: deadlines and size limits for request headers, and connections
shared fairly between client addresses.

uvicorn has no timeout for receiving a request: its keep-alive timer is not armed on a new
connection and any received byte cancels it, so a client trickling one header byte every few
seconds holds a connection for ever. It has no bound on a header's size either (httptools buffers
a header until it ends: one of 98 MB was taken). And its connection cap counts every connection
alike, so one client holding idle connections shut everyone else out. The body's deadline is in
``BodyLimitMiddleware``; request rates per client are the app's (``assistant.api.limits``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from assistant.api.limits import Networks, trusted
from assistant.api.settings import Settings

STATUS_431 = b"HTTP/1.1 431 Request Header Fields Too Large\r\n"


class HeadersTooLarge(ValueError):
    """Raised in a parser callback; uvicorn turns it into its 400 path, which answers 431 instead."""


class ConnectionBook:
    """The open connections of one server: how many each client address holds, and which are idle
    (waiting for a request's headers), oldest first, to be closed when the server is full."""

    def __init__(self, per_client: int, total: int, proxies: Networks) -> None:
        self.per_client = per_client
        self.total = total
        self.proxies = proxies  # a proxy's connections carry many clients: not capped per address
        self.by_client: Counter[str] = Counter()
        self.idle: dict[HeaderDeadlineProtocol, None] = {}  # insertion-ordered: the oldest first

    def admit(self, client: str) -> bool:
        """Count a new connection from ``client``; False when the client already holds its share."""
        if not trusted(client, self.proxies) and self.by_client[client] >= self.per_client:
            return False
        self.by_client[client] += 1
        return True

    def release(self, client: str) -> None:
        self.by_client[client] -= 1
        if self.by_client[client] <= 0:
            del self.by_client[client]

    def make_room(self, open_connections: int, newcomer: HeaderDeadlineProtocol) -> None:
        """Close the oldest idle connections (never ``newcomer``) while more than ``total`` are open."""
        for protocol in list(self.idle):
            if open_connections <= self.total:
                return
            if protocol is not newcomer:
                self.idle.pop(protocol, None)
                protocol.transport.close()
                # Gone at once for uvicorn's cap too (its connection_lost, which drops it, comes a loop turn later).
                protocol.connections.discard(protocol)
                open_connections -= 1


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with, per connection:

    * a deadline: closed when a request's headers are not complete ``header_timeout`` seconds after
      the connection opened or its previous response ended (uvicorn's own keep-alive timer then
      closes idle ones sooner);
    * size limits: a 431 (and the connection closed) for one header over ``max_header_bytes`` or a
      request line and headers over ``max_headers_bytes``, checked as the bytes arrive;
    * a fair share: a client address past ``book.per_client`` connections gets a 429 on this one,
      and when the server is full the oldest idle connections are closed to make room.
    """

    header_timeout: float = 10.0
    max_header_bytes: int = 16_384
    max_headers_bytes: int = 65_536
    book: ConnectionBook
    _header_timer: asyncio.TimerHandle | None = None
    _counted: str | None = None  # the client address this connection is counted under
    _head_bytes = 0  # received while the current request's headers are incomplete
    _header_bytes = 0  # the current request's headers as parsed
    _too_large: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        client = self.client[0] if self.client else "unknown"
        if self.book.admit(client):
            self._counted = client
        else:
            self.app = _too_many_connections  # this connection's requests: answered 429, then closed
        self._arm()
        self.book.make_room(len(self.connections), self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._counted is not None:
            self.book.release(self._counted)
            self._counted = None
        super().connection_lost(exc)

    # --- size ------------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        waiting = self._header_timer is not None
        super().data_received(data)
        if waiting and self._header_timer is not None and not self.transport.is_closing():
            self._head_bytes += len(data)  # headers still incomplete: all of it is head
            if self._head_bytes > self.max_headers_bytes:
                self._send_431(f"request line and headers over {self.max_headers_bytes} bytes")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value)
        self._header_bytes += size + 4  # ": " and CRLF
        if size > self.max_header_bytes:
            self._too_large = f"a request header over {self.max_header_bytes} bytes"
        elif self._header_bytes + len(self.url) > self.max_headers_bytes:
            self._too_large = f"request line and headers over {self.max_headers_bytes} bytes"
        if self._too_large is not None:
            raise HeadersTooLarge(self._too_large)
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if self._too_large is not None:
            self._send_431(self._too_large)
        else:
            super().send_400_response(msg)

    def _send_431(self, message: str) -> None:
        self._disarm()
        body = message.encode()
        head = [STATUS_431, b"content-type: text/plain; charset=utf-8\r\n"]
        head += [b"content-length: %d\r\n" % len(body), b"connection: close\r\n\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    # --- time ------------------------------------------------------------------------------
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
        self._head_bytes = 0
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)
        self.book.idle[self] = None

    def _disarm(self) -> None:
        self.book.idle.pop(self, None)
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        self.book.idle.pop(self, None)
        if not self.transport.is_closing():
            self.transport.close()


async def _too_many_connections(scope: Any, receive: Any, send: Any) -> None:
    """The whole app for a connection over its client's share (uvicorn's own 503 works the same way)."""
    body = b"too many connections from your address; close one and try again"
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(b"retry-after", b"1"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What ``motionqa serve`` passes to uvicorn (and the tests too): slow clients cut off, header sizes
    bounded, connections capped in total and per client; forwarded headers are the app's business."""

    class Protocol(HeaderDeadlineProtocol):
        header_timeout = settings.request_read_timeout_seconds
        max_header_bytes = settings.max_header_bytes
        max_headers_bytes = settings.max_headers_bytes
        book = ConnectionBook(
            settings.max_connections_per_client, settings.max_connections, settings.forwarded_allow_ips
        )

    return {
        "log_level": "warning",
        "http": Protocol,
        # uvicorn answers 503 once it holds ``limit_concurrency`` connections, counting the new one.
        "limit_concurrency": settings.max_connections + 1,
        # uvicorn would believe X-Forwarded-For from loopback: the app decides (ForwardedHeadersMiddleware).
        "proxy_headers": False,
    }

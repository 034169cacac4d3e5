"""No client can shut others out (issue 18, items 2, 5, 8 and the login of item 9), on a real server
configured as ``motionqa serve`` configures it. Loopback addresses 127.0.0.2, 127.0.0.3, … are
distinct clients. Nothing here depends on timing: every connection held is first seen served.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from helpers import variant
from pydantic import SecretStr
from servers import LiveServer

from assistant.api.settings import ApiSettings

KEY = "limits-test-key"
AUTH = {"authorization": f"Bearer {KEY}"}
VOTE = {"question": "Vad?", "answer": "Svar.", "outcome": "answered", "vote": "up"}
# The shipped per-client rates (the suite's shared settings lift them: the suite is one client).
DEFAULT_RATES = {
    name: ApiSettings.model_fields[name].default
    for name in ("client_request_rate", "client_write_rate", "client_login_rate")
}


@pytest.fixture(scope="module")
def server(assistant) -> Iterator[LiveServer]:
    """The whole app with a key and the default limits (the suite's shared fixture lifts the rates)."""
    from ui.server import create_app

    keyed = variant(assistant, api_key=SecretStr(KEY), request_read_timeout_seconds=30, **DEFAULT_RATES)
    with LiveServer(create_app(keyed.settings, keyed), keyed.settings) as live:
        yield live


def connect(server: LiveServer, address: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30, source_address=(address, 0))


def exchange(sock: socket.socket, request: bytes) -> bytes:
    """Send a request and read one whole response (headers and a Content-Length body)."""
    sock.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def get(path: str, extra: bytes = b"") -> bytes:
    return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n"


def status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def keyed_client_is_served(server: LiveServer, address: str, times: int = 10) -> list[int]:
    """A keyed client's requests, each on a new connection."""
    statuses = []
    for _ in range(times):
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=server.url, timeout=30, transport=transport) as http:
            statuses.append(http.get("/api/documents", headers=AUTH).status_code)
    return statuses


def test_unauthenticated_connections_from_one_address_leave_keyed_clients_served(server: LiveServer) -> None:
    """Item 2: 200 heartbeats (no login needed, never closed) filled MOTIONQA_MAX_CONNECTIONS: 503 for everyone."""
    held: list[socket.socket] = []
    answers = []
    try:
        for _ in range(200):
            sock = connect(server, "127.0.0.2")
            held.append(sock)
            answers.append(status(exchange(sock, get("/gradio_api/heartbeat/x"))))
        assert keyed_client_is_served(server, "127.0.0.9") == [200] * 10
    finally:
        for sock in held:
            sock.close()
    share = 16  # MOTIONQA_MAX_CONNECTIONS_PER_CLIENT's default
    assert answers[:share] == [404] * share, "the chat serves no heartbeat: nothing to hold open"
    assert set(answers[share:]) == {429}, "past its share, a client's connections are answered 429"


def test_idle_connections_from_many_addresses_leave_keyed_clients_served(server: LiveServer) -> None:
    """Item 2: 200 idle or slow connections, 4 from each of 50 addresses (each within its share): the
    server is full, and the oldest idle ones are closed to make room for new clients."""
    held: list[socket.socket] = []
    try:
        for i in range(200):
            sock = connect(server, f"127.0.1.{10 + i // 4}")
            held.append(sock)
            assert status(exchange(sock, get("/api/health"))) == 200  # served, then kept alive and idle
            if i % 2:  # and half of them slow: a request begun, never finished
                with contextlib.suppress(OSError):  # (closed by the server already, to make room)
                    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert keyed_client_is_served(server, "127.0.0.9") == [200] * 10
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        (b"X-Big: " + b"a" * 17_000 + b"\r\n", b"a request header over 16384 bytes"),
        (b"".join(b"X-Part-%d: " % i + b"b" * 14_000 + b"\r\n" for i in range(5)), b"request line and headers over"),
    ],
    ids=["one header over 16 KB", "headers over 64 KB"],
)
def test_oversized_headers_get_431(server: LiveServer, headers: bytes, why: bytes) -> None:
    """Item 5: a single 98 MB header was accepted; 8 such connections took RSS from 788 to 1,145 MB."""
    with connect(server, "127.0.0.3") as sock:
        response = exchange(sock, get("/api/health", headers))
        assert status(response) == 431 and why in response and b"connection: close" in response.lower()
        assert sock.recv(1) == b"", "and the connection is closed"
    with connect(server, "127.0.0.3") as sock:  # just under both limits: served
        assert status(exchange(sock, get("/api/health", b"X-Big: " + b"a" * 16_000 + b"\r\n"))) == 200


def test_an_endless_header_is_cut_off_after_64_kb(server: LiveServer) -> None:
    """The server answers 431 and closes while the header is still arriving, having read little of it."""
    with connect(server, "127.0.0.4") as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
        sent, piece = 0, b"z" * 65_536
        try:
            while sent < 100_000_000:
                sock.sendall(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert sent < 8_000_000, f"{sent} bytes of one header were accepted"
    assert answer == b"" or status(answer) == 431


def test_votes_are_rate_limited_per_client(server: LiveServer) -> None:
    """Item 8: one anonymous client filled the 50 MB feedback log in 3.6 s; now 20 votes a minute each."""
    with httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.5")) as one:
        statuses = [one.post("/api/feedback", json=VOTE, headers=AUTH).status_code for _ in range(25)]
        refused = one.post("/api/feedback", json=VOTE, headers=AUTH)
    assert statuses == [201] * 20 + [429] * 5
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"].startswith("too many feedback votes from your address")
    with httpx.Client(
        base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.6")
    ) as other:
        assert other.post("/api/feedback", json=VOTE, headers=AUTH).status_code == 201, "others vote on"
        unauthenticated = [other.post("/api/feedback", json=VOTE).status_code for _ in range(30)]
        assert set(unauthenticated) == {401}, "a request without the key counts toward nothing"
        assert other.post("/api/feedback", json=VOTE, headers=AUTH).status_code == 201


def test_login_attempts_are_rate_limited_per_client(server: LiveServer) -> None:
    """Item 9: no limit on guessing the key at /login; now 10 attempts a minute per address."""
    with httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.7")) as one:
        tries = [one.post("/login", data={"username": "x", "password": f"guess{i}"}) for i in range(12)]
    assert [t.status_code for t in tries[:10]] == [400] * 10
    assert [t.status_code for t in tries[10:]] == [429, 429] and "retry-after" in tries[10].headers
    assert json.loads(tries[10].text)["detail"].startswith("too many login attempts")
    with httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.8")) as two:
        assert two.post("/login", data={"username": "x", "password": KEY}).status_code == 200


def test_requests_are_rate_limited_per_client_and_forwarded_headers_do_not_help(assistant) -> None:
    """Item 2's request rate: past it 429 with Retry-After; an X-Forwarded-For of its choosing gives a
    client no fresh address (no proxy is trusted unless MOTIONQA_FORWARDED_ALLOW_IPS says so)."""
    from ui.server import create_app

    strict = variant(assistant, client_request_rate="30/minute")
    with LiveServer(create_app(strict.settings, strict), strict.settings) as live:
        transport = httpx.HTTPTransport(local_address="127.0.0.10")
        with httpx.Client(base_url=live.url, timeout=30, transport=transport) as http:
            spoofed = [
                http.get("/api/health", headers={"x-forwarded-for": f"10.0.0.{i}"}).status_code for i in range(35)
            ]
        assert spoofed == [200] * 30 + [429] * 5
        with httpx.Client(
            base_url=live.url, timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.11")
        ) as other:
            assert other.get("/api/health").status_code == 200

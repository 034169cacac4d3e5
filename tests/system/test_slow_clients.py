"""Slow clients are cut off and connections are capped, on a real server configured as ``motionqa serve`` does.

Timings are checked only against generous multiples of the (short) deadline set here.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from helpers import variant
from servers import LiveServer

READ_TIMEOUT = 1.5
CUT_OFF_WITHIN = 4 * READ_TIMEOUT  # generous: a loaded 2-core machine


@pytest.fixture(scope="module")
def server(assistant) -> Iterator[LiveServer]:
    from ui.server import create_app

    # All 20 slow clients come from 127.0.0.1: their share per address is not what is tested here.
    slow_aware = variant(
        assistant, request_read_timeout_seconds=READ_TIMEOUT, max_connections=100, max_connections_per_client=100
    )
    with LiveServer(create_app(slow_aware.settings, slow_aware), slow_aware.settings) as live:
        yield live


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def read_until_closed(sock: socket.socket, started: float, trickle: bytes = b"") -> tuple[float, bytes]:
    """Everything the server sends until it closes; trickles one byte of ``trickle`` every 0.3 s meanwhile."""
    received = b""
    sock.settimeout(0.3)
    while time.monotonic() - started < 30:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if trickle:
                try:
                    sock.sendall(trickle[:1])
                except OSError:
                    break
                trickle = trickle[1:]
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return time.monotonic() - started, received


def cut_off_times(server: LiveServer, openings: list[tuple[bytes, bytes]]) -> list[tuple[float, bytes]]:
    """Open one connection per (first bytes, trickle) at once; return when and what each got until closed."""
    results: list[tuple[float, bytes]] = [(0.0, b"")] * len(openings)

    def run(i: int, first: bytes, trickle: bytes) -> None:
        started = time.monotonic()
        with connect(server) as sock:
            if first:
                sock.sendall(first)
            results[i] = read_until_closed(sock, started, trickle)

    threads = [threading.Thread(target=run, args=(i, *o)) for i, o in enumerate(openings)]
    for thread in threads:
        thread.start()
    time.sleep(READ_TIMEOUT / 3)
    with httpx.Client(base_url=server.url, timeout=30) as http:  # a normal client is served meanwhile
        assert http.get("/api/health").status_code == 200
    for thread in threads:
        thread.join(timeout=40)
    return results


def test_slow_headers_are_cut_off_and_normal_requests_still_work(server: LiveServer) -> None:
    partial = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    openings = [(b"", b"")] * 5 + [(b"GE", b"")] * 5 + [(partial, b"")] * 5 + [(partial, b"a" * 100)] * 5
    results = cut_off_times(server, openings)
    times = sorted(elapsed for elapsed, _ in results)
    print(f"slow headers cut off after {times[0]:.2f}..{times[-1]:.2f} s (deadline {READ_TIMEOUT} s)")
    assert all(data == b"" for _, data in results)  # closed without a response
    assert times[0] >= READ_TIMEOUT * 0.9 and times[-1] <= CUT_OFF_WITHIN


def test_a_kept_alive_connection_must_send_its_next_headers_in_time(server: LiveServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(30)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        started = time.monotonic()  # uvicorn's keep-alive timer is cancelled by the first byte received
        elapsed, data = read_until_closed(sock, started, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    print(f"slow second request cut off after {elapsed:.2f} s")
    assert data == b"" and READ_TIMEOUT * 0.9 <= elapsed <= CUT_OFF_WITHIN


def test_slow_bodies_get_408_and_are_closed(server: LiveServer) -> None:
    head = b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += b"Content-Length: 1000\r\n\r\n"
    chunked = b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    openings = [(head + b'{"question', b"")] * 5 + [(head, b"x" * 100)] * 5 + [(chunked + b"1\r\n{\r\n", b"")] * 5
    results = cut_off_times(server, openings)
    times = sorted(elapsed for elapsed, _ in results)
    print(f"slow bodies answered 408 and closed after {times[0]:.2f}..{times[-1]:.2f} s (deadline {READ_TIMEOUT} s)")
    for _, data in results:
        head_part, _, body = data.partition(b"\r\n\r\n")
        assert head_part.startswith(b"HTTP/1.1 408") and b"connection: close" in head_part.lower()
        assert json.loads(body) == {"detail": f"request body not received within {READ_TIMEOUT:g} s"}
    assert times[0] >= READ_TIMEOUT * 0.9 and times[-1] <= CUT_OFF_WITHIN


def test_a_body_sent_in_time_is_still_answered(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        response = http.post("/api/ask", json={"question": "Vad föreslår motionen?"})
    assert response.status_code == 200 and response.json()["answer"]


def test_connections_over_the_cap_get_503_but_idle_ones_make_room(assistant) -> None:
    from ui.server import create_app

    capped = variant(assistant, request_read_timeout_seconds=30, max_connections=3)
    with LiveServer(create_app(capped.settings, capped), capped.settings) as live:
        request = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        # A request under way: its headers are in, its body is still coming (the body has 30 s).
        busy = b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"

        def status_of_one_more() -> bytes:
            with connect(live) as sock:
                sock.sendall(request)
                return sock.recv(65536).split(b"\r\n", 1)[0]

        holders: list[socket.socket] = []
        try:
            for _ in range(3):
                assert status_of_one_more() == b"HTTP/1.1 200 OK"  # up to the third connection at once
                holders.append(connect(live))
                holders[-1].sendall(busy)
            assert status_of_one_more() == b"HTTP/1.1 503 Service Unavailable"  # the fourth is not
        finally:
            for sock in holders:
                sock.close()
        deadline = time.monotonic() + 10
        while status_of_one_more() != b"HTTP/1.1 200 OK":  # served again once they are gone
            assert time.monotonic() < deadline
            time.sleep(0.1)

        idle = [connect(live) for _ in range(3)]  # each served, then held open by keep-alive, idle
        try:
            for sock in idle:
                sock.sendall(request)
                assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            assert status_of_one_more() == b"HTTP/1.1 200 OK", "the oldest idle connection made room"
            assert idle[0].recv(65536) == b"", "and it was closed"
        finally:
            for sock in idle:
                sock.close()

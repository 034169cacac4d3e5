"""API key, CORS, request-size limits and the access log, over real HTTP on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from helpers import api_for, variant
from pydantic import SecretStr
from servers import LiveServer
from starlette.testclient import TestClient

from assistant.api.settings import Settings

KEY = "k3y-Vrfy-7c1b0e9a-do-not-log"
QUESTION = "Vad säger motionen om barnahus?"
MCP_HELLO = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "httpx", "version": "0"}}
PROTECTED = [
    ("GET", "/api/documents", None),
    ("GET", "/api/documents/no-such-doc", None),
    ("GET", "/api/passages/no-such-passage", None),
    ("POST", "/api/search", {"query": "barnahus", "k": 1}),
    ("POST", "/api/ask", {"question": QUESTION}),
    ("POST", "/api/ask/stream", {"question": QUESTION}),
    ("POST", "/api/feedback", {"question": QUESTION, "answer": "Svar.", "outcome": "answered", "vote": "up"}),
    ("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": MCP_HELLO}),
]


@pytest.fixture(scope="module")
def keyed_server(assistant) -> Iterator[LiveServer]:
    """The whole app (API and the Gradio UI) with ``MOTIONQA_API_KEY`` set."""
    from ui.server import create_app

    keyed = variant(assistant, api_key=SecretStr(KEY))
    with LiveServer(create_app(keyed.settings, keyed)) as server:
        yield server


@pytest.fixture()
def http(keyed_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=keyed_server.url, timeout=60) as client:
        yield client


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        f"Bearer {KEY} {KEY}",
        f"Basic {KEY}",
        f"Bearer {KEY[:-1]}",
        f"Bearer {KEY}x",
        f"Token {KEY}",
        KEY,
    ],
)
@pytest.mark.parametrize(("method", "path", "payload"), PROTECTED)
def test_api_needs_the_key(http: httpx.Client, method, path, payload, authorization) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    response = http.request(method, path, json=payload, headers=headers)
    assert response.status_code == 401, response.text[:300]
    assert response.json() == {"detail": "missing or wrong API key"}
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
@pytest.mark.parametrize(("method", "path", "payload"), PROTECTED)
def test_the_right_key_opens_the_api(http: httpx.Client, method, path, payload, scheme) -> None:
    response = http.request(method, path, json=payload, headers={"authorization": f"{scheme} {KEY}"})
    expected = 404 if "no-such" in path else 201 if path == "/api/feedback" else 200
    assert response.status_code == expected, response.text[:300]


def test_health_needs_no_key_and_the_chat_asks_for_it(http: httpx.Client) -> None:
    assert http.get("/api/health").json()["status"] == "ok"
    page = http.get("/")  # the login page
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert http.get("/config").status_code == 401
    call = {"fn_index": 0, "data": [{}, "sv"], "session_hash": "s"}  # the page's first call, well formed
    assert http.post("/gradio_api/queue/join", json=call).status_code == 401


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {KEY}", KEY])
def test_health_without_the_key_says_only_that_the_server_lives(http: httpx.Client, authorization) -> None:
    """Open for load balancers, but it showed anyone the index, the model, the open conversations and the caches."""
    headers = {} if authorization is None else {"authorization": authorization}
    response = http.get("/api/health", headers=headers)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_health_with_the_key_shows_the_details(http: httpx.Client) -> None:
    body = http.get("/api/health", headers={"authorization": f"Bearer {KEY}"}).json()
    assert body["status"] == "ok" and body["index"]["counts"]["yrkande"] == 21
    assert isinstance(body["sessions"], int) and isinstance(body["chat_sessions"], int)
    assert body["caches"]["answers"]["capacity"] > 0 and body["model"]["id"]


@pytest.mark.parametrize("password", ["", "nope", KEY[:-1], f"{KEY}x"])
def test_the_chat_login_refuses_a_wrong_key(http: httpx.Client, password: str) -> None:
    response = http.post("/login", data={"username": "anna", "password": password})
    assert response.status_code in (400, 422) and not response.cookies
    assert http.get("/config").status_code == 401


def test_the_chat_login_takes_any_name_and_the_key(keyed_server: LiveServer) -> None:
    with httpx.Client(base_url=keyed_server.url, timeout=60) as browser:
        assert browser.post("/login", data={"username": "anna", "password": KEY}).status_code == 200
        assert browser.get("/config").status_code == 200
        assert browser.get("/api/documents").status_code == 401, "the chat's login is not an API key"


SESSION_CALL = {"session_hash": "someone-elses-session", "fn_index": 1, "event_id": "e"}


@pytest.mark.parametrize("path", ["/gradio_api/cancel", "/gradio_api/reset"])
def test_the_chats_session_routes_need_the_login_too(keyed_server: LiveServer, path: str) -> None:
    """Gradio checks the login on its event routes but not on cancel and reset, which act on a session by id."""
    with httpx.Client(base_url=keyed_server.url, timeout=60) as stranger:
        response = stranger.post(path, json=SESSION_CALL)
        assert response.status_code == 401 and response.json() == {"detail": "Not authenticated"}
    with httpx.Client(base_url=keyed_server.url, timeout=60) as browser:
        assert browser.post("/login", data={"username": "anna", "password": KEY}).status_code == 200
        assert browser.post(path, json=SESSION_CALL).status_code == 200


def test_the_chats_routes_have_the_body_limit(client: httpx.Client, settings: Settings) -> None:
    for path in ("/gradio_api/queue/join", "/login", "/gradio_api/run/predict"):
        response = client.post(path, content=b"x" * (settings.max_request_bytes + 1))
        assert response.status_code == 413 and "request body over" in response.json()["detail"], path
    chunked = client.post("/gradio_api/queue/join", content=chunks(settings.max_request_bytes + 50_000))
    assert chunked.status_code == 413


@pytest.mark.parametrize("path", ["/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/process_recording"])
def test_the_chat_takes_no_uploads(client: httpx.Client, path: str) -> None:
    response = client.post(path, files={"files": ("a.txt", b"hello", "text/plain")})
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_key_is_compared_in_constant_time(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert http.get("/api/documents", headers={"authorization": "Bearer nope"}).status_code == 401
    assert http.get("/api/documents", headers={"authorization": f"Bearer {KEY}"}).status_code == 200
    assert calls == [(b"nope", KEY.encode()), (KEY.encode(), KEY.encode())]


@pytest.mark.parametrize("key", [None, ""])
def test_no_key_or_an_empty_one_means_open(assistant, key) -> None:
    with TestClient(api_for(variant(assistant, api_key=None if key is None else SecretStr(key)))) as http:
        assert http.get("/api/documents").status_code == 200


# --- CORS ----------------------------------------------------------------------------------------------

PREFLIGHT = {"origin": "https://allowed.example", "access-control-request-method": "POST"}


def test_cors_is_off_by_default(assistant) -> None:
    with TestClient(api_for(variant(assistant))) as http:
        preflight = http.options("/api/ask", headers=PREFLIGHT)
        assert "access-control-allow-origin" not in preflight.headers
        simple = http.get("/api/documents", headers={"origin": "https://allowed.example"})
        assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


def test_cors_allows_only_the_configured_origins(assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTIONQA_CORS_ORIGINS", '["https://allowed.example", "https://other.example"]')
    origins = Settings().cors_origins
    assert origins == ["https://allowed.example", "https://other.example"]
    app = api_for(variant(assistant, cors_origins=origins, api_key=SecretStr(KEY)))
    with TestClient(app) as http:
        allowed = http.options("/api/ask", headers={**PREFLIGHT, "access-control-request-headers": "authorization"})
        assert allowed.status_code == 200, "a preflight carries no key and must still pass"
        assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
        denied = http.options("/api/ask", headers={**PREFLIGHT, "origin": "https://evil.example"})
        assert denied.status_code == 400 and "access-control-allow-origin" not in denied.headers
        simple = http.get(
            "/api/documents", headers={"origin": "https://other.example", "authorization": f"Bearer {KEY}"}
        )
        assert simple.headers["access-control-allow-origin"] == "https://other.example"


# --- request size --------------------------------------------------------------------------------------


def chunks(total: int, piece: int = 8192, prefix: bytes = b'{"question": "') -> Iterator[bytes]:
    yield prefix
    sent = len(prefix)
    while sent < total:
        yield b"x" * piece
        sent += piece


def test_declared_body_over_the_limit_is_413(client: httpx.Client, settings: Settings) -> None:
    body = json.dumps({"question": "x" * settings.max_request_bytes}).encode()
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "request body over" in response.json()["detail"]


def test_chunked_body_over_the_limit_is_413_before_parsing(client: httpx.Client, settings: Settings) -> None:
    """No Content-Length, and the JSON never closes: the limit, not the parser, answers."""
    response = client.post(
        "/api/ask", content=chunks(settings.max_request_bytes + 50_000), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and "request body over" in response.json()["detail"]


def test_chunked_body_under_the_limit_works(client: httpx.Client) -> None:
    def small() -> Iterator[bytes]:
        yield b'{"query": "barnahus",'
        yield b' "k": 2}'

    response = client.post("/api/search", content=small(), headers={"content-type": "application/json"})
    assert response.status_code == 200 and len(response.json()["results"]) == 2


def test_body_on_a_get_counts_too(client: httpx.Client, settings: Settings) -> None:
    response = client.request("GET", "/api/documents", content=b"x" * (settings.max_request_bytes + 1))
    assert response.status_code == 413


# --- access log ----------------------------------------------------------------------------------------


def test_one_structured_log_line_per_request_and_never_the_key(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    auth = {"authorization": f"Bearer {KEY}"}
    sent = [
        ("GET", "/api/health", http.get("/api/health").status_code),
        ("GET", "/api/documents", http.get("/api/documents", headers={"authorization": "Bearer wrong"}).status_code),
        ("GET", "/api/documents", http.get("/api/documents", headers=auth).status_code),
    ]
    first = http.post("/api/ask", json={"question": QUESTION, "new_session": True}, headers=auth)
    session = first.json()["session_id"]
    sent.append(("POST", "/api/ask", first.status_code))
    follow = http.post("/api/ask", json={"question": "Vem ansvarar?", "session_id": session}, headers=auth)
    sent.append(("POST", "/api/ask", follow.status_code))
    with http.stream("POST", "/api/ask/stream", json={"question": QUESTION}, headers=auth) as response:
        list(response.iter_lines())
    sent.append(("POST", "/api/ask/stream", response.status_code))

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # a stream's line is written when the stream has ended
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "motionqa.access"]
        if len(lines) >= len(sent):
            break
        time.sleep(0.05)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == sent
    assert all(set(line) == {"method", "path", "status", "ms", "session"} for line in lines)
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)
    hashed = hashlib.sha256(session.encode()).hexdigest()[:12]
    assert [line["session"] for line in lines[3:5]] == [hashed, hashed]
    assert lines[0]["session"] is None and lines[5]["session"] is None  # the stream was a stateless ask
    everything = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert KEY not in everything and session not in everything and QUESTION not in everything


def test_an_unexpected_error_is_a_json_500_without_internals(assistant) -> None:
    broken = variant(assistant)

    def fail(*args, **kwargs):
        raise RuntimeError(f"secret internals of {KEY}")

    broken.search = fail
    with TestClient(api_for(broken), raise_server_exceptions=False) as http:
        response = http.post("/api/search", json={"query": "barnahus"})
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error; see the server log"}


# --- browser-facing headers (issue 18, item 6) ------------------------------------------------------------

BROWSER_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/theme.css"),
        ("GET", "/config"),
        ("GET", "/api/health"),
        ("GET", "/api/documents/nope"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/v1/models"),
        ("POST", "/api/ask"),
        ("POST", "/gradio_api/queue/join"),
        ("GET", "/gradio_api/file=/etc/passwd"),
    ],
)
def test_every_response_carries_the_browser_headers(client: httpx.Client, method: str, path: str) -> None:
    """No content sniffing, no framing by another site, no URLs leaked in Referer: on pages, assets, errors."""
    response = client.request(method, path, json={} if method == "POST" else None)
    for name, value in BROWSER_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_limit_responses_carry_the_browser_headers_too(client: httpx.Client, settings: Settings) -> None:
    response = client.post("/api/ask", content=b"x" * (settings.max_request_bytes + 1))
    assert response.status_code == 413 and response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        (None, "http://localhost:3000"),
        ("localhost", "http://127.0.0.1:9999"),
        ("motionqa.example", "https://evil.example"),
    ],
)
def test_no_origin_is_echoed_when_cors_is_off(client: httpx.Client, host: str | None, origin: str) -> None:
    """Gradio echoed any localhost origin (any origin at all for another host) with credentials allowed."""
    headers = {"origin": origin} | ({"host": host} if host else {})
    preflight = headers | {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    for path in ("/", "/config", "/theme.css", "/gradio_api/queue/join", "/api/health"):
        for response in (client.get(path, headers=headers), client.options(path, headers=preflight)):
            assert "access-control-allow-origin" not in response.headers, (path, response.request.method)
            assert "access-control-allow-credentials" not in response.headers, (path, response.request.method)


def test_forwarded_headers_count_only_from_a_listed_proxy(assistant) -> None:
    """X-Forwarded-Host from any client set the page's root URL (its links, its asset and API base)."""
    from ipaddress import ip_network

    from ui.server import create_app

    forged = {"x-forwarded-host": "evil.example", "x-forwarded-proto": "https"}
    for proxies, expected in (([], "http://127.0.0.1"), ([ip_network("127.0.0.1/32")], "https://evil.example")):
        served = variant(assistant, forwarded_allow_ips=proxies)
        app = create_app(served.settings, served)
        with LiveServer(app, served.settings) as live, httpx.Client(base_url=live.url) as http:
            root = http.get("/config", headers=forged).json()["root"]
            page = http.get("/", headers=forged).text
        assert root.startswith(expected), (proxies, root)
        assert ("evil.example" in page) == bool(proxies), proxies


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_load_nothing_from_outside(client: httpx.Client, page: str) -> None:
    """/docs loaded Swagger UI from a CDN, so it was blank offline; its assets now come from the package."""
    html = client.get(page).text
    assets = re.findall(r"""(?:src|href)=["']?([^"' >]+)""", html)
    scripts = [a for a in assets if a.endswith((".js", ".css"))]
    assert scripts and not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    for asset in scripts:
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_let_the_browser_fetch_only_from_the_server(client: httpx.Client, page: str) -> None:
    """ReDoc's sidebar fetched Redocly's logo from cdn.redoc.ly: the pages' CSP now names no other host."""
    policy = dict(
        directive.strip().split(" ", 1) for directive in client.get(page).headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    sources = {source for listed in policy.values() for source in listed.split()}
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}, "no other host, no scheme of hosts"

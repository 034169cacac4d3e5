"""Fuzzing the API from its own OpenAPI schema, plus hand-picked hostile inputs.

Schemathesis generates schema-valid (positive) and schema-invalid (negative) requests for
every ``/api`` operation and checks each response: never a 5xx, status and body as the
schema documents them. ``MOTIONQA_FUZZ_EXAMPLES`` (default 25) sets the examples per
operation and mode; the default run is derandomized (the same examples every time), a run with
the variable set explores anew: ``MOTIONQA_FUZZ_EXAMPLES=500 pytest tests/integration/test_fuzz.py -s``.
"""

from __future__ import annotations

import json
import os

import httpx
import pytest
import schemathesis
from helpers import error_text
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("MOTIONQA_FUZZ_EXAMPLES", "25"))
DERANDOMIZE = "MOTIONQA_FUZZ_EXAMPLES" not in os.environ  # CI sees the same examples every run
OPERATIONS = [
    ("GET", "/api/health"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/{doc_id}"),
    ("GET", "/api/passages/{passage_id}"),
    ("POST", "/api/search"),
    ("POST", "/api/ask"),
    ("POST", "/api/ask/stream"),
    ("POST", "/api/feedback"),
    ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"),
]
# Nothing schema-invalid to send: no input, or a single free-form string path parameter.
NO_NEGATIVE = {
    ("GET", "/api/health"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/{doc_id}"),
    ("GET", "/api/passages/{passage_id}"),
    ("GET", "/v1/models"),
}
CONFIG = {
    "checks": {
        # The API checks more than a JSON schema can say (blank text, control characters, the configurable
        # MOTIONQA_MAX_QUESTION_CHARS) and answers those schema-valid requests with a documented 422.
        "positive_data_acceptance": {"enabled": False},
        # A schema-invalid body that is also too big is rightly refused with 413 before parsing.
        "negative_data_rejection": {"expected-statuses": [400, 401, 404, 405, 413, 422]},
    }
}
examples_run: list[str] = []


@pytest.fixture(scope="module")
def api_schema(live_server):
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_url(f"{live_server.url}/openapi.json", config=config)


def test_every_api_operation_is_fuzzed(api_schema) -> None:
    listed = {(op.method.upper(), op.path) for op in (r.ok() for r in api_schema.get_all_operations())}
    assert listed == set(OPERATIONS)


# Every operation with valid inputs; with invalid ones, those that take any input that could be invalid.
FUZZ_CASES = [
    pytest.param(method, path, mode, id=f"{mode}-{method} {path}")
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for method, path in OPERATIONS
    if not (mode is GenerationMode.NEGATIVE and (method, path) in NO_NEGATIVE)
]


@pytest.mark.parametrize(("method", "path", "mode"), FUZZ_CASES)
def test_schema_fuzz(api_schema, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=DERANDOMIZE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        response = case.call_and_validate(timeout=60)  # also: status and body as documented for this operation
        assert response.status_code < 500
        if response.status_code >= 400 and path.startswith("/api/"):
            error_text(response)  # a 422's list of {loc, msg, type}, any other status's sentence
        elif response.status_code >= 400:
            assert set(response.json()["error"]) == {"message", "type", "param", "code"}
        examples_run.append(f"{method} {path}")

    run()


def test_report_fuzz_count() -> None:
    """Runs last in this module: how many generated requests were sent (see -rP / -s output)."""
    print(f"schemathesis examples sent: {len(examples_run)}")


LONG = "fråga " * 20_000  # 120 kB of text, inside the body limit
BAD_JSON_BODIES = [
    (b'{"question": "\\ud800"}', "valid string"),  # lone surrogate, escaped in JSON
    (b'{"question": "hej \\udfff d\\u00e5"}', "valid string"),
    (b'{"question": "caf\xe9?"}', ""),  # not UTF-8 at all
    (b"[]", ""),
    (b"null", ""),
    (b'"just a string"', ""),
    (b"", ""),
    (b"question=hej", ""),
    (b'{"question": "Vad?", "question": 1}', "question"),
]


@pytest.mark.parametrize(("raw", "fragment"), BAD_JSON_BODIES)
def test_malformed_bodies_get_a_json_4xx(client: httpx.Client, raw: bytes, fragment: str) -> None:
    response = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert fragment in error_text(response)


FEEDBACK = {"question": "Vad?", "answer": "Motionen tar inte upp det.", "outcome": "declined", "vote": "down"}


def _turns(n: int, content: str = "Vad säger motionen?") -> list[dict[str, str]]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": content} for i in range(n)]


@pytest.mark.parametrize(
    ("path", "payload", "status", "fragment"),
    [
        ("/api/ask", {"question": "x" * 100_000}, 422, "at most 2000 characters"),
        ("/api/ask", {"question": "x" * 100_001}, 422, "question"),
        ("/api/ask", {"question": LONG}, 422, "question"),
        ("/api/search", {"query": "x" * 100_000}, 422, "at most 2000 characters"),
        ("/api/ask", {"question": "\t\r\n\u00a0\u2003 "}, 422, "Must not be empty"),
        ("/api/ask", {"question": "hej\u001bdå"}, 422, "control characters"),
        ("/api/ask", {"question": "hej\u007fdå"}, 422, "control characters"),
        ("/api/ask", {"question": "hej\u0085då"}, 422, "control characters"),
        ("/api/search", {"query": "våld\u0000"}, 422, "control characters"),
        ("/api/ask", {"question": ["Vad?"]}, 422, "question"),
        ("/api/ask", {"question": {"text": "Vad?"}}, 422, "question"),
        ("/api/ask", {"question": None}, 422, "question"),
        ("/api/ask", {"question": True}, 422, "question"),
        ("/api/ask", {}, 422, "question"),
        ("/api/ask", {"question": "Vad?", "extra": 1}, 422, "extra"),
        ("/api/ask", {"question": "Vad?", "k": 10**30}, 422, "k"),
        ("/api/ask", {"question": "Vad?", "k": -1}, 422, "k"),
        ("/api/ask", {"question": "Vad?", "k": 2.5}, 422, "k"),
        ("/api/ask", {"question": "Vad?", "k": "many"}, 422, "k"),
        ("/api/ask", {"question": "Vad?", "k": True}, 422, "k"),
        ("/api/ask", {"question": "Vad?", "k": "5"}, 422, "k"),
        ("/api/search", {"query": "våld", "k": False}, 422, "k"),
        ("/api/search", {"query": "våld", "k": 10**6}, 422, "k"),
        ("/api/search", {"query": "våld", "mode": None}, 422, "mode"),
        ("/api/ask", {"question": "Vad?", "history": "barnahus"}, 422, "history"),
        ("/api/ask", {"question": "Vad?", "history": [{"content": "x"}]}, 422, "role"),
        ("/api/ask", {"question": "Vad?", "history": [{"role": "user", "content": ""}]}, 422, "history.0.content"),
        ("/api/ask", {"question": "Vad?", "history": _turns(41)}, 422, "history: Should have at most 40 turns"),
        ("/api/ask", {"question": "Vad?", "history": _turns(1001)}, 422, "history"),
        ("/api/search", {"query": "Vad?", "history": _turns(41)}, 422, "at most 40 turns"),
        ("/api/ask", {"question": "Vad?", "history": _turns(2, "x" * 20_001)}, 422, "at most 20000 characters"),
        ("/api/ask", {"question": "Vad?", "history": _turns(1, "a\u0000b")}, 422, "control characters"),
        ("/api/ask", {"question": "Vad?", "session_id": ""}, 404, "session_id"),
        ("/api/ask", {"question": "Vad?", "session_id": "../../etc/passwd"}, 404, "session_id"),
        ("/api/ask", {"question": "Vad?", "session_id": "x" * 201}, 422, "session_id"),
        ("/api/ask/stream", {"question": "Vad?", "session_id": "nope"}, 404, "session_id"),
        ("/api/ask/stream", {"question": " "}, 422, "Must not be empty"),
        ("/api/ask", {"question": "Vad?", "x" * 50_000: 1}, 422, "Extra inputs are not permitted"),  # key not echoed
        ("/api/ask", {"question": "Vad?", "history": [{"role": "x", "content": "y"}] * 900}, 422, "history.19.role"),
        ("/api/feedback", {**FEEDBACK, "vote": "meh"}, 422, "vote: Input should be 'up' or 'down'"),
        ("/api/feedback", {**FEEDBACK, "comment": "x" * 2001}, 422, "comment: Should have at most 2000"),
        ("/api/feedback", {**FEEDBACK, "history": _turns(41)}, 422, "history: Should have at most 40 turns"),
    ],
)
def test_hostile_input_gets_a_clear_4xx(client: httpx.Client, path: str, payload, status: int, fragment: str) -> None:
    response = client.post(path, json=payload)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    assert fragment in error_text(response) and len(response.content) <= 5000  # no echo of the input


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2e%2e",
        "/api/documents/%00",
        "/api/documents/" + "x" * 4000,
        "/api/passages/%ff%fe",
        "/api/passages/..%5C..%5Cwindows",
        "/api/passages/%2e%2e%2f%2e%2e%2fvar%2findex%2fmanifest.json",
    ],
)
def test_unknown_or_traversal_ids_are_404(client: httpx.Client, path: str) -> None:
    """Never a file: an unknown id is "no document/passage", an id with a decoded "/" matches no route."""
    response = client.get(path)
    assert response.status_code == 404, response.text[:300]
    assert response.json()["detail"].startswith(("no ", "Not Found")), response.text[:200]


def test_wrong_method_is_a_json_4xx(client: httpx.Client) -> None:
    response = client.delete("/api/ask")
    assert response.status_code == 405 and json.loads(response.text)["detail"]

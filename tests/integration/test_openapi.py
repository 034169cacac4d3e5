"""The OpenAPI document says exactly what the server does: named operations, only the responses each
operation can give, the error bodies it really sends (checked against live responses), the version."""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema_rs  # schemathesis' validator
import pytest
from helpers import api_for, variant
from pydantic import SecretStr
from servers import LiveServer

KEY = "openapi-test-key"
OPERATIONS = {  # operationId: (method, path, every status it documents)
    "health": ("GET", "/api/health", {200}),
    "listDocuments": ("GET", "/api/documents", {200, 401}),
    "getDocument": ("GET", "/api/documents/{doc_id}", {200, 401, 404}),
    "getPassage": ("GET", "/api/passages/{passage_id}", {200, 401, 404}),
    "search": ("POST", "/api/search", {200, 400, 401, 408, 413, 422, 504}),
    "ask": ("POST", "/api/ask", {200, 400, 401, 404, 408, 413, 422, 504}),
    "askStream": ("POST", "/api/ask/stream", {200, 400, 401, 404, 408, 413, 422, 504}),
    "submitFeedback": ("POST", "/api/feedback", {201, 400, 401, 408, 413, 422, 429, 503, 507}),
    "listModels": ("GET", "/v1/models", {200, 401}),
    "createChatCompletion": ("POST", "/v1/chat/completions", {200, 400, 401, 408, 413, 422, 504}),
}
BODY_ERRORS = {400, 408, 413, 422}  # the statuses only a request body can cause
VALID_BODIES = {
    "/api/search": {"query": "barnahus", "k": 1},
    "/api/ask": {"question": "Vad är IPVI?"},
    "/api/ask/stream": {"question": "Vad är IPVI?"},
    "/api/feedback": {"question": "Vad?", "answer": "Svar.", "outcome": "answered", "vote": "up"},
    "/v1/chat/completions": {"messages": [{"role": "user", "content": "Vad är IPVI?"}]},
}
CONCRETE = {"/api/documents/{doc_id}": "/api/documents/nope", "/api/passages/{passage_id}": "/api/passages/nope"}


@pytest.fixture(scope="module")
def spec(live_server) -> dict[str, Any]:
    return httpx.get(f"{live_server.url}/openapi.json", timeout=30).json()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_every_operation_has_its_own_name(spec) -> None:
    named = {op.get("operationId"): (method, path) for method, path, op in operations(spec)}
    assert len(named) == sum(1 for _ in operations(spec)), "operationIds must be unique"
    assert named == {name: (method, path) for name, (method, path, _) in OPERATIONS.items()}


def test_each_operation_documents_only_what_it_can_answer(spec) -> None:
    for method, path, operation in operations(spec):
        name = operation["operationId"]
        statuses = {int(status) for status in operation["responses"]}
        assert statuses == OPERATIONS[name][2], name
        has_body = "requestBody" in operation
        assert has_body == (method == "POST"), name
        if has_body:  # a body can be too big, too slow, undecodable or invalid
            assert statuses >= BODY_ERRORS, name
        else:  # no body: none of those, whatever the path parameters
            assert not statuses & BODY_ERRORS, f"{method} {path} advertises {statuses & BODY_ERRORS}"
        assert (401 in statuses) == (name != "health"), "401 exactly where MOTIONQA_API_KEY applies"
        assert (429 in statuses) == (name == "submitFeedback"), "only votes have a rate of their own"


def test_error_bodies_are_documented_in_the_shape_of_their_prefix(spec) -> None:
    components = spec["components"]["schemas"]
    assert "HTTPValidationError" not in components and "ValidationError" not in components
    problem = components["ValidationProblem"]
    assert set(problem["required"]) == {"loc", "msg", "type"}
    for _, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            if path.startswith("/v1/"):
                assert ref == "OpenAIErrorResponse", (path, status)
            else:
                assert ref == ("ValidationErrorResponse" if status == "422" else "ErrorResponse"), (path, status)


def test_question_examples_are_the_motions_own(spec, assistant) -> None:
    """The example questions come from the motion's metadata (data/*.json), Swedish and English."""
    shipped = [q for d in assistant.index.documents.values() for qs in d.meta.examples.values() for q in qs]
    assert shipped and any(q.startswith("What") for q in shipped) and any(q.startswith("Vad") for q in shipped)
    schemas = spec["components"]["schemas"]
    for schema, field in (("SearchRequest", "query"), ("AskRequest", "question"), ("FeedbackRequest", "question")):
        assert schemas[schema]["properties"][field]["examples"] == shipped, schema


def test_the_documentation_site_embeds_the_schema_served(spec, settings) -> None:
    """docs/hooks.py builds the schema without the model or an index, from the data folder's metadata:
    it must be the very document the running server serves."""
    from assistant.api.app import openapi_schema

    assert json.loads(json.dumps(openapi_schema(settings))) == spec


def test_version_and_health_schema(spec, client: httpx.Client, keyed: LiveServer) -> None:
    assert spec["info"]["version"] == importlib.metadata.version("motionqa")
    health = spec["paths"]["/api/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert [one["$ref"].rsplit("/", 1)[-1] for one in health["anyOf"]] == ["HealthResponse", "Liveness"]
    body = client.get("/api/health").json()
    _validate(spec, body, "HealthResponse")
    assert "centroid" not in body["model"] and body["caches"]["answers"]["capacity"] > 0
    liveness = httpx.get(f"{keyed.url}/api/health", timeout=60).json()  # a key is set, and not sent
    _validate(spec, liveness, "Liveness")
    assert liveness == {"status": "ok"}


@pytest.fixture(scope="module")
def keyed(assistant, tmp_path_factory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("feedback") / "feedback.jsonl"
    with LiveServer(api_for(variant(assistant, api_key=SecretStr(KEY), feedback_path=log))) as server:
        yield server


def test_the_errors_sent_are_the_errors_documented(spec, keyed: LiveServer, settings) -> None:
    """For every operation: a missing key (401), an oversized and an invalid body (413, 422), an unknown
    id (404) really come back, documented for that operation and matching its documented body."""
    sent = 0
    with httpx.Client(base_url=keyed.url, timeout=60) as http:
        for name, (method, path, documented_statuses) in OPERATIONS.items():
            url = CONCRETE.get(path, path)
            auth = {"authorization": f"Bearer {KEY}"}
            attempts = [(401, http.request(method, url, json=VALID_BODIES.get(path)))]
            if method == "POST":
                huge = {"x": "x" * settings.max_request_bytes}
                attempts.append((413, http.post(url, json=huge, headers=auth)))
                attempts.append((422, http.post(url, json={"unexpected": True}, headers=auth)))
            if path in CONCRETE:
                attempts.append((404, http.get(url, headers=auth)))
            for expected, response in attempts:
                if expected == 401 and name == "health":
                    assert response.status_code == 200
                    continue
                assert response.status_code == expected and expected in documented_statuses, (name, response.text)
                schema = spec["paths"][path][method.lower()]["responses"][str(expected)]["content"]["application/json"]
                _validate(spec, response.json(), schema["schema"]["$ref"].rsplit("/", 1)[-1])
                sent += 1
    assert sent == 9 + 2 * 5 + 2


def _validate(spec: dict[str, Any], instance: Any, component: str) -> None:
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    jsonschema_rs.Draft202012Validator(schema).validate(instance)

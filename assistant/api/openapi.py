"""The OpenAPI document as FastAPI writes it, with the motion's own example questions and minus the
one response it claims that cannot happen.

The examples come from the documents' metadata (``data/*.json``), so another motion shows its own.
FastAPI adds a 422 to every operation with parameters. An operation without a request body whose
parameters are all free-form path strings (``/api/documents/{doc_id}``) accepts any value, so it
can never answer 422; advertising one would promise clients (and the fuzzer) an error shape they
will never see.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

from index.parse.document import Metadata

_AUTO_422_REF = "#/components/schemas/HTTPValidationError"
# The request fields that hold a question: (schema, property).
QUESTION_FIELDS = (("SearchRequest", "query"), ("AskRequest", "question"), ("FeedbackRequest", "question"))


def install_openapi(app: FastAPI, examples: list[str]) -> None:
    """Serve FastAPI's schema with ``examples`` on every question field and the impossible 422s removed
    (FastAPI caches it; both steps are idempotent)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return _prune(_with_examples(generate(), examples))

    app.openapi = openapi  # type: ignore[method-assign]


def example_questions(metas: Iterable[Metadata]) -> list[str]:
    """Every example question of the documents, in every language: the question fields' examples."""
    return [question for meta in metas for questions in meta.examples.values() for question in questions]


def _with_examples(schema: dict[str, Any], examples: list[str]) -> dict[str, Any]:
    components = schema.get("components", {}).get("schemas", {})
    for name, field in QUESTION_FIELDS:
        prop = components.get(name, {}).get("properties", {}).get(field)
        if prop is not None and examples:
            prop["examples"] = examples
    return schema


def _prune(schema: dict[str, Any]) -> dict[str, Any]:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" not in operation and all(_free_string(p) for p in operation.get("parameters", [])):
                responses = operation.get("responses", {})
                if _is_auto_422(responses.get("422")):
                    del responses["422"]
    components = schema.get("components", {}).get("schemas", {})
    if _AUTO_422_REF not in json.dumps(schema.get("paths", {})):
        components.pop("HTTPValidationError", None)
        if '"#/components/schemas/ValidationError"' not in json.dumps(schema):
            components.pop("ValidationError", None)
    return schema


def _free_string(parameter: dict[str, Any]) -> bool:
    """A path parameter any string satisfies: no type but string, no pattern, length or format."""
    spec = parameter.get("schema", {})
    constrained = {"pattern", "minLength", "maxLength", "format", "enum", "const"} & set(spec)
    return parameter.get("in") == "path" and spec.get("type") == "string" and not constrained


def _is_auto_422(response: dict[str, Any] | None) -> bool:
    return response is not None and _AUTO_422_REF in json.dumps(response)

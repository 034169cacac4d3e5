"""The OpenAPI document as FastAPI writes it, minus the one response it claims that cannot happen.

FastAPI adds a 422 to every operation with parameters. An operation without a request body whose
parameters are all free-form path strings (``/api/documents/{doc_id}``) accepts any value, so it
can never answer 422; advertising one would promise clients (and the fuzzer) an error shape they
will never see.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

_AUTO_422_REF = "#/components/schemas/HTTPValidationError"


def install_openapi(app: FastAPI) -> None:
    """Serve FastAPI's schema with the impossible 422s removed (FastAPI caches it; pruning is idempotent)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return _prune(generate())

    app.openapi = openapi  # type: ignore[method-assign]


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

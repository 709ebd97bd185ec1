"""A response checked against the operation's published schema (``/openapi.json``).

The hot reads encode their bodies without re-validating them against the response
model on every request; these checks are where that model is still enforced."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
from fastapi import FastAPI


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    for template, item in document["paths"].items():
        pattern = template.split("/")
        parts = path.split("/")
        matches = len(pattern) == len(parts) and all(
            p == q or (p.startswith("{") and p.endswith("}"))
            for p, q in zip(pattern, parts, strict=True)
        )
        if matches and method.lower() in item:
            return item[method.lower()]  # type: ignore[no-any-return]
    raise AssertionError(f"{method} {path} is not a published operation")


def schema_errors(app: FastAPI, response: httpx.Response) -> list[str]:
    """Why ``response``'s JSON does not match its operation's published schema."""
    document = app.openapi()
    request = response.request
    operation = _operation(document, request.method, request.url.path)
    content = operation["responses"][str(response.status_code)]["content"]["application/json"]
    schema = {**content["schema"], "components": document["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]

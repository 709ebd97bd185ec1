"""Make the generated OpenAPI document true to what the app answers.

FastAPI documents its own 422 body (``HTTPValidationError``) while every Trident
app answers validation errors in its own envelope; and the statuses the core
itself answers (429 rate limit, 503 database down, 400/413 for bodies) belong to
every operation.  ``document_errors`` adds them all in the app's envelope.
``allowed_methods`` answers 405's ``Allow`` from the app's routes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, routing
from pydantic import BaseModel

from trident.core.openapi_aliases import document_aliases

FASTAPI_VALIDATION = "#/components/schemas/HTTPValidationError"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: what any request may meet, whatever the endpoint: the rate limit, a database outage
ANY_REQUEST = {
    "429": "Rate limit exceeded (see Retry-After)",
    "503": "A dependency (the database) is unavailable",
}
WITH_BODY = {
    "400": "Malformed body (not decodable)",
    "413": "Body larger than the configured limit",
}
#: probes that neither meet the rate limiter nor the database
UNLIMITED_PATHS = frozenset({"/health", "/live", "/metrics"})


def document_errors(
    app: FastAPI,
    error_model: type[BaseModel],
    header_errors: dict[str, dict[str, str]] | None = None,
) -> None:
    """``header_errors``: statuses an operation may answer because it takes a header
    (``{"X-Station-ID": {"404": "No such station"}}``)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        _use_envelope(schema, error_model, header_errors or {})
        document_aliases(app, schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _use_envelope(
    schema: dict[str, Any],
    error_model: type[BaseModel],
    header_errors: dict[str, dict[str, str]],
) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    name = error_model.__name__
    if name not in components:
        model_schema = error_model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(model_schema.pop("$defs", {}))
        components[name] = model_schema
    envelope = {"$ref": f"#/components/schemas/{name}"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            # an operation that declares no scheme takes no credentials: say so, so a
            # client (and a linter) knows it is public rather than unspecified
            operation.setdefault("security", [])
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                json_body = response.get("content", {}).get("application/json", {})
                if json_body.get("schema", {}).get("$ref") == FASTAPI_VALIDATION:
                    json_body["schema"] = dict(envelope)
            always = {} if path in UNLIMITED_PATHS else dict(ANY_REQUEST)
            if "requestBody" in operation:
                always.update(WITH_BODY)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header":
                    always.update(header_errors.get(parameter.get("name", ""), {}))
            for status, description in always.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": dict(envelope)}},
                    },
                )
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def operation_id(route: routing.APIRoute) -> str:
    """A readable, unique ``operationId``: the module's tag, then the endpoint's name
    without the words the tag already says (``bookings_list``, ``api_keys_create``),
    so a generated client reads ``bookings.list()``, not ``list_bookings_api_v1_...``."""
    tag = str(route.tags[0]) if route.tags else "default"
    prefix = re.sub(r"\W+", "_", tag).strip("_").lower()
    said = {word for part in prefix.split("_") for word in (part, part.removesuffix("s"))}
    said |= {prefix, prefix.removesuffix("s")}
    words = [word for word in route.name.split("_") if word and word not in said]
    return f"{prefix}_{'_'.join(words or [route.name])}"


@lru_cache(maxsize=8)
def _patterns(
    paths: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[tuple[re.Pattern[str], set[str]]]:
    compiled = []
    for template, methods in paths:
        regex = (
            "^"
            + re.sub(
                r"\{[^/}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
            )
            + "$"
        )
        compiled.append((re.compile(regex), {m.upper() for m in methods}))
    return compiled


@dataclass(frozen=True, slots=True)
class RoutedOperation:
    method: str
    path: str
    published: bool  # in the OpenAPI document (False: an alias, the docs pages)


def routed_operations(app: FastAPI) -> list[RoutedOperation]:
    """Every operation the app answers, with the prefixes of included routers applied
    (FastAPI keeps included routers lazy, so ``app.routes`` does not list them)."""
    out = []
    for context in routing.iter_route_contexts(app.routes):
        if not isinstance(context.original_route, routing.APIRoute) or context.path is None:
            continue
        for method in sorted(context.methods or ()):
            if method != "HEAD":  # Starlette adds HEAD to every GET
                out.append(RoutedOperation(method, context.path, bool(context.include_in_schema)))
    return out


def _routed(app: FastAPI) -> dict[str, tuple[str, ...]]:
    """Every path template the app answers on (published or alias) and its methods."""
    routed: dict[str, set[str]] = {}
    for operation in routed_operations(app):
        routed.setdefault(operation.path, set()).add(operation.method.lower())
    for route in app.routes:  # plain Starlette routes (none of ours take methods)
        methods = getattr(route, "methods", None)
        template = getattr(route, "path", None)
        if methods and template and not isinstance(route, routing.APIRoute):
            # Starlette adds HEAD to every GET; Allow lists what the document lists
            routed.setdefault(template, set()).update(m.lower() for m in methods if m != "HEAD")
    return {template: tuple(sorted(m)) for template, m in routed.items()}


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the app answers ``path`` with (for a 405's ``Allow`` header); alias
    paths left out of the OpenAPI document included.

    A literal path (``/customers/find-by-email``) is its own resource: the templates
    it also happens to match (``/customers/{customer_id}``) do not add their methods."""
    routed = getattr(app.state, "routed_methods", None)
    if routed is None:
        routed = app.state.routed_methods = _routed(app)
    if path in routed:
        return sorted(m.upper() for m in routed[path] if m in HTTP_METHODS)
    paths = tuple(routed.items())
    methods: set[str] = set()
    for pattern, allowed in _patterns(paths):
        if pattern.match(path):
            methods |= allowed
    return sorted(methods)


#: one Server-Sent Event as clients (and schemathesis) read it off the stream
SSE_EVENT = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "id": {"type": "string"},
        "data": {"type": "string", "description": "A JSON document, or [DONE] at the end"},
    },
    "required": ["data"],
}


def sse_response(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry for a 200 that streams Server-Sent Events."""
    return {
        200: {"description": description, "content": {"text/event-stream": {"schema": SSE_EVENT}}}
    }

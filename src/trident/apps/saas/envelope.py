"""The saas error envelope: ``{"detail": "...", "error": "code"}`` (spec: saas-api.md),
with per-field ``errors`` on 422 and structured ``details`` where they help."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from trident.core.errors import ErrorInfo, error_responses


class FieldErrorOut(BaseModel):
    field: str
    loc: list[str | int]
    message: str
    type: str


class ErrorBody(BaseModel):
    detail: str
    error: str
    errors: list[FieldErrorOut] | None = None
    details: dict[str, Any] | None = None
    request_id: str | None = None


def render_error(info: ErrorInfo) -> dict[str, Any]:
    body: dict[str, Any] = {
        "detail": info.message,
        "error": info.code,
        "request_id": info.request_id,
    }
    if info.field_errors:
        body["errors"] = [
            {"field": f.field, "loc": f.loc, "message": f.message, "type": f.type}
            for f in info.field_errors
        ]
    if info.details:
        body["details"] = info.details
    return body


errors = error_responses(ErrorBody)

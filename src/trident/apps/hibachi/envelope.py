"""The hibachi error envelope: the union of the two newest documents' error bodies.

``error`` is a short human title (the newest document's frontend shows it in a toast),
``code`` the stable machine code, ``message`` and ``detail`` the sentence, ``details``
the context (on 422: each field's message, as the 2025-10-25 document shows).  A 429
also carries the newest document's ``tier``, ``limit_type``, ``limit_value``,
``current`` and ``retry_after_seconds`` at the top level.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from trident.core.errors import ErrorInfo, error_responses

RATE_LIMIT_FIELDS = ("tier", "limit_type", "limit_value", "current")


class ErrorBody(BaseModel):
    error: str = Field(description="Short human-readable title of the error")
    code: str = Field(description="Stable machine-readable code, e.g. validation_error")
    message: str
    detail: str
    details: dict[str, Any] | None = None
    status_code: int
    request_id: str | None = None
    timestamp: str
    path: str
    tier: str | None = None
    limit_type: str | None = None
    limit_value: int | None = None
    current: int | None = None
    retry_after_seconds: int | None = None


def title(code: str) -> str:
    return code.replace("_", " ").capitalize()


def render_error(info: ErrorInfo) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": title(info.code),
        "code": info.code,
        "message": info.message,
        "detail": info.message,
        "status_code": info.status_code,
        "request_id": info.request_id,
        "timestamp": info.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "path": info.path,
    }
    details = dict(info.details)
    if info.field_errors:
        for error in info.field_errors:
            details.setdefault(error.field or "request", error.message)
        details["validation_errors"] = [
            f"{e.field}: {e.message}" if e.field else e.message for e in info.field_errors
        ]
    if details:
        body["details"] = details
    if info.status_code == 429:
        for name in RATE_LIMIT_FIELDS:
            if name in details:
                body[name] = details[name]
        if "retry_after" in details:
            body["retry_after_seconds"] = details["retry_after"]
    return body


errors = error_responses(ErrorBody)

"""Errors the apps raise, and the handlers that render them in each app's envelope.

The core decides *what* went wrong (status, machine code, message, field errors);
each app decides *how* it looks on the wire through an :data:`ErrorRenderer`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from trident.core.clock import utcnow
from trident.core.openapi import allowed_methods

log = logging.getLogger("trident.errors")


class AppError(Exception):
    """An error with a status, a stable machine code and a human message."""

    status_code: int = 400
    code: str = "bad_request"
    default_message: str = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        status_code: int | None = None,
        commit: bool = False,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = dict(details or {})
        self.headers = dict(headers or {})
        # Some refusals must still persist what they did (a reused refresh token
        # revokes its family, then answers 401): the session dependency commits.
        self.commit = commit
        super().__init__(self.message)


class BadRequest(AppError):
    status_code, code, default_message = 400, "bad_request", "The request is invalid."


class Unauthorized(AppError):
    status_code, code, default_message = 401, "unauthorized", "Authentication required."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(AppError):
    status_code, code, default_message = 403, "forbidden", "You do not have permission."


class NotFound(AppError):
    status_code, code, default_message = 404, "not_found", "Resource not found."


class Conflict(AppError):
    status_code, code, default_message = 409, "conflict", "The resource is in a conflicting state."


class PayloadTooLarge(AppError):
    status_code, code, default_message = 413, "payload_too_large", "The request body is too large."


class Unprocessable(AppError):
    status_code, code, default_message = 422, "validation_error", "The request is invalid."


class TooManyRequests(AppError):
    status_code, code, default_message = 429, "rate_limit_exceeded", "Rate limit exceeded."


class ServiceUnavailable(AppError):
    status_code, code, default_message = (
        503,
        "service_unavailable",
        "The service is temporarily unavailable.",
    )


@dataclass(slots=True)
class FieldError:
    loc: list[str | int]
    message: str
    type: str

    @property
    def field(self) -> str:
        # "body.email" reads better than ["body", "email"] in a UI; drop the source.
        parts = [str(p) for p in self.loc[1:]] if len(self.loc) > 1 else [str(p) for p in self.loc]
        return ".".join(parts)


@dataclass(slots=True)
class ErrorInfo:
    status_code: int
    code: str
    message: str
    path: str
    request_id: str | None
    details: dict[str, Any] = field(default_factory=dict)
    field_errors: list[FieldError] = field(default_factory=list)
    timestamp: datetime = field(default_factory=utcnow)


ErrorRenderer = Callable[[ErrorInfo], dict[str, Any]]
UnhandledHook = Callable[[Request, BaseException, ErrorInfo], Awaitable[None]]

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limit_exceeded",
    500: "internal_error",
    503: "service_unavailable",
}


def code_for_status(status: int) -> str:
    return _CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_info(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    details: dict[str, Any] | None = None,
    field_errors: list[FieldError] | None = None,
) -> ErrorInfo:
    return ErrorInfo(
        status_code=status,
        code=code,
        message=message,
        path=request.url.path,
        request_id=request_id_of(request),
        details=details or {},
        field_errors=field_errors or [],
    )


def render(renderer: ErrorRenderer, info: ErrorInfo, headers: Mapping[str, str] | None = None):
    return JSONResponse(renderer(info), status_code=info.status_code, headers=dict(headers or {}))


def is_database_unavailable(exc: BaseException) -> bool:
    """True for connection-level failures (server down), not for bad SQL or constraints."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return any(
            s in text
            for s in ("connection", "could not connect", "unable to open", "server closed")
        )
    return isinstance(exc, ConnectionRefusedError | ConnectionResetError | TimeoutError)


def validation_field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    result = []
    for err in errors:
        message = str(err.get("msg", "Invalid value"))
        # pydantic prefixes custom messages with "Value error, "; clients want the sentence.
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        result.append(FieldError(loc=list(err.get("loc", [])), message=message, type=err["type"]))
    return result


ErrorResponder = Callable[[Request, Exception], Awaitable[JSONResponse]]


def install_error_handlers(
    app: FastAPI, renderer: ErrorRenderer, on_unhandled: UnhandledHook | None = None
) -> ErrorResponder:
    """Every error the app can produce, rendered in the app's envelope.

    Returns the responder the outermost middleware uses for errors raised outside
    the router (body too large, a crash in a middleware).
    """

    async def app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        info = error_info(request, exc.status_code, exc.code, exc.message, details=exc.details)
        return render(renderer, info, exc.headers)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        fields = validation_field_errors(exc.errors())
        first = fields[0] if fields else None
        message = (
            f"Validation failed: {first.field or 'request'}: {first.message}"
            if first
            else "Validation failed."
        )
        info = error_info(request, 422, "validation_error", message, field_errors=fields)
        return render(renderer, info)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        if status == 404 and message == "Not Found":
            message = f"No route matches {request.method} {request.url.path}."
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 405:
            message = f"Method {request.method} is not allowed on {request.url.path}."
            methods = allowed_methods(request.app, request.url.path)
            if methods:
                headers["Allow"] = ", ".join(methods)
        info = error_info(request, status, code_for_status(status), message)
        return render(renderer, info, headers or None)

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        if is_database_unavailable(exc):
            log.warning("database unavailable: %s", exc)
            info = error_info(
                request, 503, "database_unavailable", "The database is temporarily unavailable."
            )
            return render(renderer, info, {"Retry-After": "5"})
        return await unhandled(request, exc)

    async def unhandled(request: Request, exc: Exception) -> JSONResponse:
        info = error_info(request, 500, "internal_error", "An unexpected error occurred.")
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if on_unhandled is not None:
            try:
                await on_unhandled(request, exc, info)
            except Exception:  # the hook must never turn a 500 into a crash
                log.exception("error hook failed")
        return render(renderer, info)

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(ConnectionRefusedError, database_error)

    async def respond(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, AppError):
            return await app_error(request, exc)
        if isinstance(exc, StarletteHTTPException):
            return await http_error(request, exc)
        if isinstance(exc, DBAPIError | ConnectionRefusedError):
            return await database_error(request, exc)
        return await unhandled(request, exc)

    return respond


def error_responses(model: type[BaseModel]) -> Callable[..., dict[int | str, dict[str, Any]]]:
    """``errors(401, 404)`` -> the ``responses=`` mapping that documents those statuses."""

    def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
        return {
            status: {"model": model, "description": HTTPStatus(status).phrase}
            for status in statuses
        }

    return errors

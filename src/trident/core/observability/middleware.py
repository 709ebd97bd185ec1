"""The outermost middleware: request ids, access log, metrics, security headers,
body-size limit and the last line of defence for unhandled errors."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trident.core.errors import PayloadTooLarge
from trident.core.observability.logging import request_id_var
from trident.core.observability.metrics import Metrics

log = logging.getLogger("trident.access")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
ErrorResponder = Callable[[Request, Exception], Awaitable[Any]]


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        max_body_bytes: int,
        on_error: ErrorResponder,
        hsts: bool = False,
        body_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        #: larger limits for some paths (file uploads), so every other route keeps the
        #: small default: a key ending in "/" is a prefix, any other an exact path
        self.body_limits = tuple((body_limits or {}).items())
        self.on_error = on_error
        self.extra_headers = [*SECURITY_HEADERS]
        if hsts:
            self.extra_headers.append(
                (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 500, "started": False}
        encoded_id = request_id.encode()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", encoded_id))
                present = {name for name, _ in headers}
                headers.extend(h for h in self.extra_headers if h[0] not in present)
                message["headers"] = headers
            await send(message)

        self.metrics.in_flight.labels(self.metrics.app_name).inc()
        try:
            limit = self.body_limit(scope["path"])
            declared = _header(scope, b"content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                await self._reply_error(scope, receive, send_wrapper, _too_large(limit))
                return
            await self.app(scope, _limited(receive, limit), send_wrapper)
        except Exception as exc:
            if status_holder["started"]:
                raise
            await self._reply_error(scope, receive, send_wrapper, exc)
        finally:
            self.metrics.in_flight.labels(self.metrics.app_name).dec()
            elapsed = time.perf_counter() - started
            template = route_template(scope)
            status = int(status_holder["status"])
            self.metrics.observe(scope["method"], template, status, elapsed)
            log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={"route": template, "status": status, "ms": round(elapsed * 1000, 2)},
            )
            request_id_var.reset(token)

    def body_limit(self, path: str) -> int:
        for key, limit in self.body_limits:
            if path == key or (key.endswith("/") and path.startswith(key)):
                return limit
        return self.max_body_bytes

    async def _reply_error(
        self, scope: Scope, receive: Receive, send: Send, exc: Exception
    ) -> None:
        response = await self.on_error(Request(scope, receive), exc)
        await response(scope, receive, send)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body exceeds {limit} bytes.", details={"max_bytes": limit})


def _limited(receive: Receive, limit: int) -> Receive:
    """Count streamed body bytes so a body without Content-Length is cut off too."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # An HTTPException passes through FastAPI's body parsing untouched.
                raise HTTPException(413, detail=_too_large(limit).message)
        return message

    return wrapped


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/v1/bookings/{booking_id}``).

    FastAPI versions that include a router without copying its routes (a router
    mounted at two prefixes) keep the full template in the request's effective
    route context; older ones copy the route, prefix and all, into ``route``."""
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path_format", None)
    if template:
        return str(template)
    return getattr(scope.get("route"), "path", None) or "<unmatched>"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None

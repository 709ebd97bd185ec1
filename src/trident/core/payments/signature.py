"""Webhook signatures, verified the way Stripe does it.

The header is ``t=<unix seconds>,v1=<hex>[,v1=<hex>...]``; each ``v1`` is
HMAC-SHA256 over ``"<t>.<raw body>"`` with the endpoint secret.  Every ``v1`` is
compared in constant time (Stripe sends several while a secret is being rolled),
and a timestamp older or newer than the tolerance is refused so a captured
request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from trident.core.clock import unix_time

DEFAULT_TOLERANCE = 300


class WebhookSignatureError(Exception):
    """The payload is not signed by the expected secret, or the signature is stale."""


def _digest(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header value for ``payload``."""
    ts = int(unix_time()) if timestamp is None else timestamp
    return f"t={ts},v1={_digest(payload, secret, ts)}"


def _parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookSignatureError("The signature header has a malformed timestamp.")
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookSignatureError("The signature header has no timestamp or no v1 signature.")
    return timestamp, signatures


def verify_signature(
    payload: bytes,
    header: str | None,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> dict[str, Any]:
    """Check ``header`` against ``payload`` and return the decoded event."""
    if not header:
        raise WebhookSignatureError("The Stripe-Signature header is missing.")
    if not secret:
        raise WebhookSignatureError("No webhook secret is configured.")
    timestamp, signatures = _parse_header(header)
    expected = _digest(payload, secret, timestamp)
    # Compare against every v1 without stopping early, so timing says nothing.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise WebhookSignatureError("No signature matches the payload.")
    current = unix_time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookSignatureError("The signature timestamp is outside the tolerance.")
    try:
        event = json.loads(payload)
    except ValueError:
        raise WebhookSignatureError("The payload is not JSON.")
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookSignatureError("The payload is not an event (no id or type).")
    return event

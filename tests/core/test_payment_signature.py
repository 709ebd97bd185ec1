from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from trident.core.clock import unix_time
from trident.core.payments import WebhookSignatureError, sign_payload, verify_signature

SECRET = "whsec_unit_" + "s" * 32
EVENT = {"id": "evt_1", "type": "invoice.paid", "data": {"object": {}}}
PAYLOAD = json.dumps(EVENT).encode()


def test_a_signed_payload_verifies_and_decodes() -> None:
    assert verify_signature(PAYLOAD, sign_payload(PAYLOAD, SECRET), SECRET) == EVENT


def test_signature_is_hmac_of_timestamp_dot_body() -> None:
    header = sign_payload(b"{}", "secret", 1_700_000_000)
    expected = hmac.new(b"secret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_any_matching_v1_is_accepted() -> None:
    good = sign_payload(PAYLOAD, SECRET).split("v1=")[1]
    ts = int(unix_time())
    header = f"t={ts},v1={'0' * 64},v1={good}"
    assert verify_signature(PAYLOAD, header, SECRET)["id"] == "evt_1"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        "t=abc,v1=00",
        "v1=" + "0" * 64,
        "t=1800000000",  # a timestamp and no signature (fixed: ids must not vary by run)
    ],
)
def test_malformed_headers_are_refused(header: str | None) -> None:
    with pytest.raises(WebhookSignatureError):
        verify_signature(PAYLOAD, header, SECRET)


def test_wrong_secret_is_refused() -> None:
    with pytest.raises(WebhookSignatureError, match="No signature matches"):
        verify_signature(PAYLOAD, sign_payload(PAYLOAD, "whsec_other"), SECRET)


def test_tampered_body_is_refused() -> None:
    header = sign_payload(PAYLOAD, SECRET)
    with pytest.raises(WebhookSignatureError):
        verify_signature(PAYLOAD.replace(b"invoice", b"invoicX"), header, SECRET)


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamps_outside_tolerance_are_refused(offset: int) -> None:
    header = sign_payload(PAYLOAD, SECRET, int(unix_time()) + offset)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify_signature(PAYLOAD, header, SECRET)


def test_timestamp_at_the_edge_of_tolerance_is_accepted() -> None:
    now = 1_800_000_000
    header = sign_payload(PAYLOAD, SECRET, now - 300)
    assert verify_signature(PAYLOAD, header, SECRET, now=now)["id"] == "evt_1"


@pytest.mark.parametrize("payload", [b"not json", b"[]", b'{"type": "x"}'])
def test_signed_non_events_are_refused(payload: bytes) -> None:
    with pytest.raises(WebhookSignatureError):
        verify_signature(payload, sign_payload(payload, SECRET), SECRET)


def test_no_secret_configured_refuses() -> None:
    with pytest.raises(WebhookSignatureError, match="secret"):
        verify_signature(PAYLOAD, sign_payload(PAYLOAD, SECRET), "")

"""What the fuzzer needs to know about the hibachi app: how to build it, who calls it,
what its error envelope looks like, and the checks it cannot pass by design."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from tests.hibachi.conftest import make_settings
from tests.hibachi.helpers import PASSWORD, ROOT_EMAIL, ROOT_PASSWORD
from trident.apps.hibachi import commands
from trident.apps.hibachi.main import create_app

APP = "hibachi"
ENVELOPE_KEYS = frozenset(
    {"error", "code", "message", "detail", "status_code", "timestamp", "path"}
)


def _both(method: str, path: str, prefixes: tuple[str, ...] = ("/api", "/api/v1")) -> list[str]:
    """One documented operation under each prefix the documents give it."""
    return [f"{method} {prefix}{path}" for prefix in prefixes]


BOOKING_RULES = (
    "a booking's date must be a future, open day, its time inside a slot, its menu and menu "
    "items the station's, its slot free; JSON Schema cannot say which dates are open"
)
#: (operation, check) -> why the check cannot hold for that operation
EXCLUSIONS: dict[tuple[str, str], str] = {
    **{
        (op, "positive_data_acceptance"): BOOKING_RULES
        for op in [
            *_both("POST", "/bookings", ("/api", "/api/v1", "/api/app")),
            *_both("POST", "/public/bookings"),
            *_both("POST", "/waitlist"),
        ]
    },
    **{
        (op, "positive_data_acceptance"): (
            "email-validator refuses special-use domains (RFC 6761: .test, .invalid) that the "
            "JSON Schema `email` format admits, and an email is taken once"
        )
        for op in [*_both("POST", "/auth/register"), *_both("POST", "/station/auth/register")]
    },
    **{
        (op, "positive_data_acceptance"): (
            "permissions are strings the schema cannot enumerate without tying the document to "
            "the role map; unknown ones are refused"
        )
        for op in _both("POST", "/admin/api-keys")
    },
    **{
        (op, "positive_data_acceptance"): (
            "user_ids must be staff of the caller's station, known only at run time"
        )
        for op in _both("PUT", "/admin/notification-groups/{group_id}")
    },
    **{
        (op, "positive_data_acceptance"): (
            "a lead becomes converted only through /convert, and assigned_to must be staff of "
            "the station; both are run-time facts"
        )
        for op in _both("PUT", "/leads/{lead_id}")
    },
    **{
        (op, "other_tenant_gets_404"): (
            "addressed by an unguessable token printed in an email or on a QR code, not by a "
            "tenant's id: anyone holding the link is meant to reach it"
        )
        for op in [
            *_both("GET", "/newsletter/track/open/{token}.gif"),
            *_both("GET", "/newsletter/track/click/{token}"),
            *_both("GET", "/newsletter/unsubscribe/{token}"),
            *_both("GET", "/qr/track/{code}"),
        ]
    },
}


def build_app(database_url: str, data_dir: Path) -> FastAPI:
    settings = make_settings(database_url, data_dir)
    asyncio.run(commands.ensure_admin(settings, ROOT_EMAIL, ROOT_PASSWORD))
    return create_app(settings, inline_jobs=True)


def _sign_in(session: Any, email: str, password: str = PASSWORD) -> str:
    response = session.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return f"Bearer {response.json()['access_token']}"


def identities(session: Any) -> dict[str, Any]:
    """An admin of the default station (who the generated requests act as) and an
    admin of a second station (the other tenant)."""
    root = {"Authorization": _sign_in(session, ROOT_EMAIL, ROOT_PASSWORD)}
    other = session.post("/api/admin/stations", json={"name": "Other"}, headers=root)
    assert other.status_code == 201, other.text
    for email, station in (
        ("fuzz-admin@example.com", "main"),
        ("fuzz-other@example.com", other.json()["code"]),
    ):
        created = session.post(
            "/api/users",
            json={"email": email, "password": PASSWORD, "role": "admin"},
            headers={**root, "X-Station-ID": station},
        )
        assert created.status_code == 201, created.text
    return {
        "headers": {"Authorization": _sign_in(session, "fuzz-admin@example.com")},
        "parameters": {},
        "other_tenant": {"Authorization": _sign_in(session, "fuzz-other@example.com")},
    }

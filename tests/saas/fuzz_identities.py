"""What the fuzzer needs to know about the saas app: how to build it, who calls it,
what its error envelope looks like, and the checks it cannot pass by design."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from tests.saas.conftest import make_settings
from tests.saas.helpers import PASSWORD
from trident.apps.saas.main import create_app

APP = "saas"
ENVELOPE_KEYS = frozenset({"detail", "error", "request_id"})
_emails = itertools.count(1)

#: (operation, check) -> why the check cannot hold for that operation
EXCLUSIONS: dict[tuple[str, str], str] = {
    ("POST /api/v1/ai/chat", "positive_data_acceptance"): (
        "`model` is checked against the models configured at run time; the schema says string"
    ),
    ("POST /api/v1/ai/chat/stream", "positive_data_acceptance"): (
        "`model` is checked against the models configured at run time; the schema says string"
    ),
    ("GET /api/v1/ai/usage", "positive_data_acceptance"): (
        "`end` before `start` is refused; JSON Schema cannot relate two parameters"
    ),
    ("POST /api/v1/auth/register", "positive_data_acceptance"): (
        "email-validator refuses special-use domains (RFC 6761: .test, .invalid) that the "
        "JSON Schema `email` format admits"
    ),
    ("POST /api/v1/orgs/{org_id}/invite", "positive_data_acceptance"): (
        "email-validator refuses special-use domains (RFC 6761: .test, .invalid) that the "
        "JSON Schema `email` format admits; an invitation there could never be delivered"
    ),
    ("POST /api/v1/billing/checkout", "positive_data_acceptance"): (
        "plan_type FREE is a plan, so schema-valid, but needs no checkout: 400 free_plan says "
        "to cancel in the portal instead"
    ),
    ("POST /api/v1/billing/webhook/stripe", "positive_data_acceptance"): (
        "a Stripe-Signature is valid only when it is the HMAC of the body with our secret"
    ),
}


def build_app(database_url: str, data_dir: Path) -> FastAPI:
    return create_app(make_settings(database_url, data_dir), inline_jobs=True)


def _user(session: Any, org: bool = True) -> dict[str, Any]:
    email = f"fuzz{next(_emails)}@example.com"
    response = session.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": "Fuzz"}
    )
    assert response.status_code == 201, response.text
    login = session.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    user: dict[str, Any] = {
        "email": email,
        "authorization": f"Bearer {login.json()['access_token']}",
    }
    if org:
        created = session.post(
            "/api/v1/orgs",
            json={"name": f"Fuzz org {email}"},
            headers={"Authorization": user["authorization"]},
        )
        user["org_id"] = created.json()["id"]
    return user


def identities(session: Any) -> dict[str, Any]:
    """The owner of org A (who the generated requests act as), an admin and a member of
    A, and the owner of org B (the other tenant)."""
    owner, other = _user(session), _user(session)
    for role in ("admin", "member"):
        user = _user(session, org=False)
        invited = session.post(
            f"/api/v1/orgs/{owner['org_id']}/invite",
            json={"email": user["email"], "role": role},
            headers={"Authorization": owner["authorization"]},
        )
        assert invited.status_code == 201, invited.text
    return {
        "headers": {"Authorization": owner["authorization"]},
        # Fixed values, so requests land in the caller's own org.
        "parameters": {
            "header.X-Current-Org": str(owner["org_id"]),
            "path.org_id": str(owner["org_id"]),
        },
        "other_tenant": {
            "Authorization": other["authorization"],
            "X-Current-Org": str(other["org_id"]),
        },
    }

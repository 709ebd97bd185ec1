"""A test client that speaks the saas API the way a frontend does."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from trident.core.clock import unix_time
from trident.core.payments import sign_payload

PASSWORD = "SecurePass123!"
WEBHOOK_SECRET = "whsec_test_" + "z" * 32
_counter = itertools.count(1)


@dataclass
class Actor:
    email: str
    user_id: int
    access_token: str
    refresh_token: str
    org_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def headers(self, org_id: int | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.access_token}"}
        org = org_id if org_id is not None else self.org_id
        if org is not None:
            headers["X-Current-Org"] = str(org)
        return headers


class Client(httpx.AsyncClient):
    async def register(self, email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
        email = email or f"user{next(_counter)}@example.com"
        response = await self.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "full_name": "Test User"},
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.post("/api/v1/auth/login", data={"username": email, "password": password})

    async def actor(self, email: str | None = None, *, with_org: bool = True) -> Actor:
        """A registered, logged-in user; by default the owner of a new org."""
        user = await self.register(email)
        tokens = (await self.login(user["email"])).json()
        actor = Actor(user["email"], user["id"], tokens["access_token"], tokens["refresh_token"])
        if with_org:
            response = await self.post(
                "/api/v1/orgs", json={"name": f"Org of {user['email']}"}, headers=actor.headers()
            )
            assert response.status_code == 201, response.text
            actor.org_id = response.json()["id"]
        return actor

    async def join(self, owner: Actor, role: str = "member") -> Actor:
        """A new user invited into ``owner``'s org with ``role``."""
        member = await self.actor(with_org=False)
        response = await self.post(
            f"/api/v1/orgs/{owner.org_id}/invite",
            json={"email": member.email, "role": role},
            headers=owner.headers(),
        )
        assert response.status_code == 201, response.text
        member.org_id = owner.org_id
        return member

    async def api_key(self, owner: Actor, name: str = "key") -> dict[str, Any]:
        response = await self.post("/api/v1/apikeys", json={"name": name}, headers=owner.headers())
        assert response.status_code == 201, response.text
        return response.json()

    async def send_event(
        self, event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
    ) -> httpx.Response:
        payload = json.dumps(event).encode()
        return await self.post(
            "/api/v1/billing/webhook/stripe",
            content=payload,
            headers={
                "Stripe-Signature": sign_payload(payload, secret, timestamp),
                "Content-Type": "application/json",
            },
        )

    async def pay_for(self, owner: Actor, plan: str = "PRO") -> httpx.Response:
        """Checkout and pay on the local hosted page, as a browser would."""
        response = await self.post(
            "/api/v1/billing/checkout",
            json={
                "plan_type": plan,
                "success_url": "http://localhost:3000/pricing?status=success",
                "cancel_url": "http://localhost:3000/pricing?status=cancel",
            },
            headers=owner.headers(),
        )
        assert response.status_code == 200, response.text
        path = httpx.URL(response.json()["checkout_url"]).path
        return await self.post(path, data={"action": "pay"})


def event(event_type: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
    return {
        "id": f"evt_test_{next(_counter)}",
        "object": "event",
        "type": event_type,
        "created": created or int(unix_time()),
        "data": {"object": obj},
    }

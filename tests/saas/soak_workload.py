"""The saas soak: what a busy day of clients does, and what must hold afterwards."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import httpx

from tests.saas.helpers import PASSWORD

APP = "saas"
_ids = itertools.count(1)


@dataclass
class Tenant:
    email: str
    headers: dict[str, str]
    org_id: int
    paid: bool = False
    keys: list[int] = field(default_factory=list)


@dataclass
class State:
    tenants: list[Tenant] = field(default_factory=list)
    #: what the driver saw succeed, compared with the database afterwards
    chats_ok: int = 0
    paid_orgs: set[int] = field(default_factory=set)


async def _tenant(client: httpx.AsyncClient) -> Tenant:
    email = f"soak{next(_ids)}-{random.getrandbits(32)}@example.com"
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    registered.raise_for_status()
    login = await client.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    token = login.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    org = await client.post("/api/v1/orgs", json={"name": f"Soak {email}"}, headers=auth)
    org.raise_for_status()
    org_id = org.json()["id"]
    return Tenant(email, {**auth, "X-Current-Org": str(org_id)}, org_id)


async def prepare(client: httpx.AsyncClient, tenants: int) -> State:
    state = State()
    for _ in range(tenants):
        state.tenants.append(await _tenant(client))
    return state


def pick(state: State) -> Tenant:
    return random.choice(state.tenants)


# Each operation returns the statuses that count as correct for it.
async def me(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    r = await client.get("/api/v1/users/me", headers=pick(state).headers)
    return r.status_code, {200}


async def members(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    t = pick(state)
    r = await client.get(f"/api/v1/orgs/{t.org_id}/members", headers=t.headers)
    return r.status_code, {200}


async def list_keys(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    r = await client.get("/api/v1/apikeys", headers=pick(state).headers)
    return r.status_code, {200}


async def create_and_revoke_key(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    t = pick(state)
    r = await client.post("/api/v1/apikeys", json={"name": "soak"}, headers=t.headers)
    if r.status_code != 201:
        return r.status_code, {201, 403}  # 403: the plan's key limit
    gone = await client.delete(f"/api/v1/apikeys/{r.json()['id']}", headers=t.headers)
    return gone.status_code, {204}


async def chat(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    r = await client.post(
        "/api/v1/ai/chat", json={"message": "What plan are we on?"}, headers=pick(state).headers
    )
    if r.status_code == 200:
        state.chats_ok += 1
    return r.status_code, {200, 429}  # 429: the month's quota is spent


async def usage(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    r = await client.get("/api/v1/ai/usage", headers=pick(state).headers)
    return r.status_code, {200}


async def subscription(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    r = await client.get("/api/v1/billing/subscription", headers=pick(state).headers)
    return r.status_code, {200}


async def checkout_and_pay(client: httpx.AsyncClient, state: State) -> tuple[int, set[int]]:
    """Checkout with an Idempotency-Key, retry it as a flaky network would, and pay."""
    t = pick(state)
    headers = {**t.headers, "Idempotency-Key": f"soak-{t.org_id}"}
    body = {
        "plan_type": "PRO",
        "success_url": "http://localhost:3000/ok",
        "cancel_url": "http://localhost:3000/no",
    }
    first = await client.post("/api/v1/billing/checkout", json=body, headers=headers)
    if first.status_code != 200:
        return first.status_code, {200, 409}  # 409: already on a paid plan
    retry = await client.post("/api/v1/billing/checkout", json=body, headers=headers)
    if retry.json() != first.json():
        return 599, {200}  # a retried key must replay the same session
    page = httpx.URL(first.json()["checkout_url"]).path
    paid = await client.post(page, data={"action": "pay"})
    if paid.status_code == 303:
        state.paid_orgs.add(t.org_id)
    return paid.status_code, {303, 409}  # 409: this session was paid already


OPERATIONS = [
    (me, 20),
    (members, 15),
    (list_keys, 15),
    (usage, 10),
    (subscription, 10),
    (create_and_revoke_key, 10),
    (chat, 15),
    (checkout_and_pay, 5),
]

# Each invariant is SQL returning rows that violate it (none expected).
INVARIANTS: dict[str, str] = {
    "one subscription per org": (
        "SELECT org_id FROM subscriptions GROUP BY org_id HAVING count(*) > 1"
    ),
    "every org has a subscription": (
        "SELECT o.id FROM orgs o LEFT JOIN subscriptions s ON s.org_id = o.id WHERE s.id IS NULL"
    ),
    "an org that paid is on a paid plan": (
        "SELECT s.org_id FROM subscriptions s JOIN local_payment_objects p "
        "ON p.object_type = 'checkout.session' AND p.status = 'complete' "
        "AND p.customer_id = (SELECT stripe_customer_id FROM orgs WHERE id = s.org_id) "
        "WHERE s.plan = 'FREE'"
    ),
    "one local subscription per paid checkout": (
        "SELECT customer_id FROM local_payment_objects WHERE object_type = 'subscription' "
        "GROUP BY customer_id HAVING count(*) > 1"
    ),
    "api key hashes are unique": (
        "SELECT key_hash FROM api_keys GROUP BY key_hash HAVING count(*) > 1"
    ),
    "one membership per user and org": (
        "SELECT org_id, user_id FROM memberships GROUP BY org_id, user_id HAVING count(*) > 1"
    ),
    "every webhook event handled once": (
        "SELECT event_id FROM webhook_events WHERE processed_at IS NULL"
    ),
    "no usage row left pending": "SELECT id FROM ai_usage_events WHERE status = 'pending'",
    "no failed jobs": "SELECT id FROM failed_jobs",
}


def counted_invariants(state: State) -> dict[str, tuple[str, int]]:
    """SQL counts over the run's own orgs that must equal what the driver saw succeed."""
    orgs = ", ".join(str(t.org_id) for t in state.tenants)  # integers from our own API
    return {
        "metered chats = successful chats": (
            f"SELECT count(*) FROM ai_usage_events WHERE status = 'completed' "
            f"AND org_id IN ({orgs})",
            state.chats_ok,
        ),
        "orgs on PRO = orgs the driver paid for": (
            f"SELECT count(*) FROM subscriptions WHERE plan = 'PRO' AND org_id IN ({orgs})",
            len(state.paid_orgs),
        ),
    }

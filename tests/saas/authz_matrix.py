"""Who may call what in the saas app: one row per operation, one status per caller.

Callers: ``anonymous``; the org's ``owner``, ``admin`` and ``member``; an
``outsider`` (owner of another org) naming this org; an ``api_key`` the owner
made (it acts as its org with its creator's role, on org routes only); and a
``revoked_key``.  An org the caller is not in answers 404, never 403.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from tests.reliability.matrix import Call, Row
from tests.saas.helpers import PASSWORD, WEBHOOK_SECRET, Actor, Client, event
from trident.core.clock import unix_time
from trident.core.payments import sign_payload

IDENTITIES = ("anonymous", "owner", "admin", "member", "outsider", "api_key", "revoked_key")
ROLES = ("owner", "admin", "member")
MANAGERS = ("owner", "admin")
_unique = itertools.count(1)


@dataclass
class World:
    owner: Actor
    admin: Actor
    member: Actor
    outsider: Actor
    api_key: str
    revoked_key: str
    clock: itertools.count

    @property
    def org_id(self) -> int:
        assert self.owner.org_id is not None
        return self.owner.org_id

    def headers(self, identity: str) -> dict[str, str]:
        org = {"X-Current-Org": str(self.org_id)}
        if identity == "anonymous":
            return {}
        if identity == "api_key":
            return {"X-API-Key": self.api_key, **org}
        if identity == "revoked_key":
            return {"X-API-Key": self.revoked_key, **org}
        actor: Actor = getattr(self, identity)
        return {"Authorization": f"Bearer {actor.access_token}", **org}


async def set_plan(world: World, client: httpx.AsyncClient, plan: str) -> None:
    """Move the org to ``plan`` through a signed provider event, as Stripe would."""
    obj = {
        "id": "sub_matrix",
        "object": "subscription",
        "status": "active",
        "metadata": {"org_id": str(world.org_id), "plan": plan},
    }
    kind = "customer.subscription.updated"
    if plan == "FREE":
        obj["status"], kind = "canceled", "customer.subscription.deleted"
    evt = event(kind, obj, created=next(world.clock))
    assert isinstance(client, Client)
    response = await client.send_event(evt)
    assert response.status_code == 200, response.text


async def build_world(client: Client) -> World:
    owner = await client.actor()
    world = World(
        owner=owner,
        admin=await client.join(owner, "admin"),
        member=await client.join(owner, "member"),
        outsider=await client.actor(),
        api_key=(await client.api_key(owner, "matrix"))["key"],
        revoked_key="",
        clock=itertools.count(int(unix_time())),
    )
    revoked = await client.api_key(owner, "revoked")
    gone = await client.delete(f"/api/v1/apikeys/{revoked['id']}", headers=owner.headers())
    assert gone.status_code == 204, gone.text
    world.revoked_key = revoked["key"]
    await set_plan(world, client, "TEAM")
    return world


# -- expectations ------------------------------------------------------------------------
def public(status: int) -> dict[str, int]:
    return dict.fromkeys(IDENTITIES, status)


def any_principal(status: int) -> dict[str, int]:
    return {**public(status), "anonymous": 401, "revoked_key": 401}


def user_only(status: int) -> dict[str, int]:
    """A user's own resources: any signed-in user; an API key is refused (403)."""
    return {**any_principal(status), "api_key": 403}


def in_org(status: int, allowed: tuple[str, ...] = ROLES) -> dict[str, int]:
    expect = {"anonymous": 401, "revoked_key": 401, "outsider": 404}
    for role in ROLES:
        expect[role] = status if role in allowed else 403
    expect["api_key"] = expect["owner"]  # the key acts with its creator's role
    return expect


# -- fresh requests --------------------------------------------------------------------
def email() -> str:
    return f"matrix{next(_unique)}-{time.time_ns()}@example.com"


def org_path(world: World) -> dict[str, Any]:
    return {"org_id": world.org_id}


async def register(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"email": email(), "password": PASSWORD, "full_name": "Matrix"})


async def login(world: World, client: httpx.AsyncClient) -> Call:
    return Call(data={"username": world.member.email, "password": PASSWORD})


async def refresh_token(world: World, client: httpx.AsyncClient) -> Call:
    assert isinstance(client, Client)
    tokens = (await client.login(world.member.email)).json()
    return Call(json={"refresh_token": tokens["refresh_token"]})


async def webhook(world: World, client: httpx.AsyncClient) -> Call:
    payload = json.dumps(event("customer.created", {"id": "cus_matrix"})).encode()
    return Call(
        content=payload,
        headers={
            "Stripe-Signature": sign_payload(payload, WEBHOOK_SECRET),
            "Content-Type": "application/json",
        },
    )


async def new_org(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"name": f"Matrix org {next(_unique)}"})


async def rename_org(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params=org_path(world), json={"name": f"Renamed {next(_unique)}"})


async def org_only(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params=org_path(world))


async def invite(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params=org_path(world), json={"email": email(), "role": "member"})


async def fresh_member(world: World, client: httpx.AsyncClient) -> dict[str, Any]:
    assert isinstance(client, Client)
    member = await client.join(world.owner, "member")
    return {"org_id": world.org_id, "user_id": member.user_id}


async def promote(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params=await fresh_member(world, client), json={"role": "admin"})


async def remove(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params=await fresh_member(world, client))


async def pending_invitation(world: World, client: httpx.AsyncClient) -> Call:
    response = await client.post(
        f"/api/v1/orgs/{world.org_id}/invite",
        json={"email": email(), "role": "member"},
        headers=world.owner.headers(),
    )
    assert response.status_code == 201, response.text
    listed = await client.get(
        f"/api/v1/orgs/{world.org_id}/invitations", headers=world.owner.headers()
    )
    newest = max(listed.json(), key=lambda i: i["id"])
    return Call(path_params={"org_id": world.org_id, "invitation_id": newest["id"]})


async def new_key(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"name": f"key {next(_unique)}"})


async def existing_key(world: World, client: httpx.AsyncClient) -> Call:
    assert isinstance(client, Client)
    key = await client.api_key(world.owner, f"doomed {next(_unique)}")
    return Call(path_params={"key_id": key["id"]})


async def chat(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"message": "Hi"})


async def white_label(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"brand_name": f"Brand {next(_unique)}"})


async def checkout(world: World, client: httpx.AsyncClient) -> Call:
    return Call(
        json={
            "plan_type": "PRO",
            "success_url": "http://localhost:3000/ok",
            "cancel_url": "http://localhost:3000/no",
        }
    )


async def portal(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"return_url": "http://localhost:3000/billing"})


async def on_free(world: World, client: httpx.AsyncClient) -> None:
    await set_plan(world, client, "FREE")


ORGS = "/api/v1/orgs/{org_id}"
ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/health"): Row(public(200)),
    ("GET", "/ready"): Row(public(200)),
    ("GET", "/live"): Row(public(200)),
    ("GET", "/metrics"): Row(public(200)),
    ("POST", "/api/v1/auth/register"): Row(public(201), register),
    ("POST", "/api/v1/auth/login"): Row(public(200), login),
    ("POST", "/api/v1/auth/refresh"): Row(public(200), refresh_token),
    ("POST", "/api/v1/auth/logout"): Row(public(204), refresh_token),
    ("GET", "/api/v1/users/me"): Row(user_only(200)),
    ("GET", "/api/v1/billing/plans"): Row(public(200)),
    ("GET", "/api/v1/billing/subscription"): Row(in_org(200)),
    ("POST", "/api/v1/billing/webhook/stripe"): Row(public(200), webhook),
    ("GET", "/api/v1/orgs"): Row(user_only(200)),
    ("POST", "/api/v1/orgs"): Row(user_only(201), new_org),
    ("GET", ORGS): Row(in_org(200), org_only),
    ("PATCH", ORGS): Row(in_org(200, MANAGERS), rename_org),
    ("POST", ORGS + "/invite"): Row(in_org(201, MANAGERS), invite),
    ("GET", ORGS + "/members"): Row(in_org(200), org_only),
    ("PATCH", ORGS + "/members/{user_id}"): Row(in_org(200, MANAGERS), promote),
    ("DELETE", ORGS + "/members/{user_id}"): Row(in_org(204, MANAGERS), remove),
    ("GET", ORGS + "/invitations"): Row(in_org(200), org_only),
    ("DELETE", ORGS + "/invitations/{invitation_id}"): Row(
        in_org(204, MANAGERS), pending_invitation
    ),
    ("POST", "/api/v1/apikeys"): Row(in_org(201, MANAGERS), new_key),
    ("GET", "/api/v1/apikeys"): Row(in_org(200)),
    ("DELETE", "/api/v1/apikeys/{key_id}"): Row(in_org(204, MANAGERS), existing_key),
    ("DELETE", "/api/v1/apikeys/{key_id}/permanent"): Row(in_org(204, MANAGERS), existing_key),
    ("POST", "/api/v1/ai/chat"): Row(in_org(200), chat),
    ("POST", "/api/v1/ai/chat/stream"): Row(in_org(200), chat),
    ("GET", "/api/v1/ai/usage"): Row(in_org(200)),
    ("GET", "/api/v1/ai/models"): Row(in_org(200)),
    ("GET", "/api/v1/premium/free-feature"): Row(any_principal(200)),
    ("GET", "/api/v1/premium/analytics"): Row(in_org(200)),
    ("GET", "/api/v1/premium/white-label"): Row(in_org(200)),
    ("PATCH", "/api/v1/premium/white-label"): Row(in_org(200, MANAGERS), white_label),
    # Last: these need the org back on Free (a paid org changes plans in the portal).
    ("POST", "/api/v1/billing/checkout"): Row(in_org(200, MANAGERS), checkout, on_free),
    ("POST", "/api/v1/billing/portal"): Row(in_org(200, MANAGERS), portal),
}

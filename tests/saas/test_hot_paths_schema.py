"""The hot reads encode plain values without re-validating them; here each one's
JSON is validated against its published schema."""

from __future__ import annotations

from fastapi import FastAPI

from tests.published_schema import schema_errors
from tests.saas.helpers import Client


async def test_users_me_matches_its_schema(client: Client, app: FastAPI) -> None:
    owner = await client.actor("schema@example.com")
    response = await client.get("/api/v1/users/me", headers=owner.headers())
    assert response.status_code == 200
    assert schema_errors(app, response) == []
    body = response.json()
    assert body["created_at"].endswith("Z")
    assert [org["role"] for org in body["organizations"]] == ["owner"]


async def test_the_api_key_list_matches_its_schema(client: Client, app: FastAPI) -> None:
    owner = await client.actor("keys-schema@example.com")
    created = await client.post(
        "/api/v1/apikeys", json={"name": "CI"}, headers=owner.headers(owner.org_id)
    )
    assert created.status_code == 201, created.text
    response = await client.get("/api/v1/apikeys", headers=owner.headers(owner.org_id))
    assert (response.status_code, response.headers["X-Total-Count"]) == (200, "1")
    assert schema_errors(app, response) == []
    (listed,) = response.json()
    assert listed == {k: v for k, v in created.json().items() if k != "key"}


async def test_the_member_list_matches_its_schema(client: Client, app: FastAPI) -> None:
    owner = await client.actor("members-schema@example.com")
    response = await client.get(
        f"/api/v1/orgs/{owner.org_id}/members", headers=owner.headers(owner.org_id)
    )
    assert (response.status_code, response.headers["X-Total-Count"]) == (200, "1")
    assert schema_errors(app, response) == []
    (member,) = response.json()
    assert (member["email"], member["role"], member["org_id"]) == (
        "members-schema@example.com",
        "owner",
        owner.org_id,
    )

from __future__ import annotations

from tests.saas.helpers import Client


async def test_create_key_shows_secret_once(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/apikeys", json={"name": "Production API Key"}, headers=owner.headers()
    )
    assert response.status_code == 201
    created = response.json()
    assert created["key"].startswith("sk_saas_")
    assert len(created["key"]) >= 40
    assert created["prefix"] == created["key"][:12]
    assert created["is_active"] is True

    listed = await client.get("/api/v1/apikeys", headers=owner.headers())
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["id"] == created["id"]
    assert "key" not in item


async def test_key_authenticates_as_its_org(client: Client) -> None:
    owner = await client.actor()
    key = await client.api_key(owner)
    response = await client.get(
        "/api/v1/billing/subscription",
        headers={"X-API-Key": key["key"], "X-Current-Org": str(owner.org_id)},
    )
    assert response.status_code == 200
    assert response.json()["org_id"] == owner.org_id


async def test_key_cannot_reach_another_org(client: Client) -> None:
    owner = await client.actor()
    other = await client.actor()
    key = await client.api_key(owner)
    response = await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": key["key"], "X-Current-Org": str(other.org_id)}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "api_key_org_mismatch"


async def test_key_acts_in_its_own_org_without_the_header(client: Client) -> None:
    owner = await client.actor()
    key = await client.api_key(owner)
    response = await client.get("/api/v1/billing/subscription", headers={"X-API-Key": key["key"]})
    assert response.status_code == 200
    assert response.json()["org_id"] == owner.org_id


async def test_revoked_key_is_refused(client: Client) -> None:
    owner = await client.actor()
    key = await client.api_key(owner)
    revoke = await client.delete(f"/api/v1/apikeys/{key['id']}", headers=owner.headers())
    assert revoke.status_code == 204
    response = await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": key["key"], "X-Current-Org": str(owner.org_id)}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "api_key_revoked"
    listed = await client.get("/api/v1/apikeys", headers=owner.headers())
    assert listed.json()[0]["is_active"] is False
    assert listed.json()[0]["revoked_at"] is not None


async def test_unknown_key_is_refused(client: Client) -> None:
    response = await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": "sk_saas_" + "A" * 40, "X-Current-Org": "1"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_api_key"


async def test_key_of_departed_creator_stops_working(client: Client) -> None:
    owner = await client.actor()
    admin = await client.join(owner, "admin")
    key = await client.api_key(admin)
    await client.delete(
        f"/api/v1/orgs/{owner.org_id}/members/{admin.user_id}", headers=owner.headers()
    )
    response = await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": key["key"], "X-Current-Org": str(owner.org_id)}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "api_key_orphaned"


async def test_delete_permanently(client: Client) -> None:
    owner = await client.actor()
    key = await client.api_key(owner)
    response = await client.delete(
        f"/api/v1/apikeys/{key['id']}/permanent", headers=owner.headers()
    )
    assert response.status_code == 204
    listed = await client.get("/api/v1/apikeys", headers=owner.headers())
    assert listed.json() == []
    again = await client.delete(f"/api/v1/apikeys/{key['id']}/permanent", headers=owner.headers())
    assert again.status_code == 404


async def test_other_org_cannot_revoke_or_delete_key(client: Client) -> None:
    owner = await client.actor()
    other = await client.actor()
    key = await client.api_key(owner)
    revoke = await client.delete(f"/api/v1/apikeys/{key['id']}", headers=other.headers())
    delete = await client.delete(f"/api/v1/apikeys/{key['id']}/permanent", headers=other.headers())
    assert (revoke.status_code, delete.status_code) == (404, 404)
    still = await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": key["key"], "X-Current-Org": str(owner.org_id)}
    )
    assert still.status_code == 200


async def test_member_can_list_but_not_create_keys(client: Client) -> None:
    owner = await client.actor()
    member = await client.join(owner)
    listed = await client.get("/api/v1/apikeys", headers=member.headers())
    assert listed.status_code == 200
    created = await client.post("/api/v1/apikeys", json={"name": "x"}, headers=member.headers())
    assert created.status_code == 403


async def test_missing_org_header_is_a_validation_error(client: Client) -> None:
    owner = await client.actor()
    headers = {"Authorization": f"Bearer {owner.access_token}"}
    response = await client.get("/api/v1/apikeys", headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "X-Current-Org"


async def test_free_plan_key_limit(client: Client) -> None:
    owner = await client.actor()
    await client.api_key(owner, "one")
    await client.api_key(owner, "two")
    response = await client.post("/api/v1/apikeys", json={"name": "three"}, headers=owner.headers())
    assert response.status_code == 403
    assert response.json()["error"] == "plan_limit_reached"


async def test_key_last_used_is_recorded(client: Client) -> None:
    owner = await client.actor()
    key = await client.api_key(owner)
    await client.get(
        "/api/v1/apikeys", headers={"X-API-Key": key["key"], "X-Current-Org": str(owner.org_id)}
    )
    listed = await client.get("/api/v1/apikeys", headers=owner.headers())
    assert listed.json()[0]["last_used_at"] is not None

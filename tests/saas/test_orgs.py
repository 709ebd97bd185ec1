from __future__ import annotations

import pytest

from tests.saas.helpers import Client


async def test_create_org_makes_caller_owner_on_free(client: Client) -> None:
    actor = await client.actor(with_org=False)
    response = await client.post(
        "/api/v1/orgs", json={"name": "My Company", "slug": "my-company"}, headers=actor.headers()
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "My Company"
    assert body["slug"] == "my-company"
    assert body["role"] == "owner"
    assert body["plan"] == "FREE"
    assert body["member_count"] == 1


async def test_slug_is_derived_and_made_unique(client: Client) -> None:
    actor = await client.actor(with_org=False)
    first = await client.post("/api/v1/orgs", json={"name": "Acme Inc"}, headers=actor.headers())
    second = await client.post("/api/v1/orgs", json={"name": "Acme  Inc"}, headers=actor.headers())
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["slug"] == "acme-inc"
    assert second.json()["slug"] == "acme-inc-2"


async def test_taken_slug_conflicts(client: Client) -> None:
    actor = await client.actor(with_org=False)
    await client.post("/api/v1/orgs", json={"name": "A", "slug": "taken"}, headers=actor.headers())
    response = await client.post(
        "/api/v1/orgs", json={"name": "B", "slug": "taken"}, headers=actor.headers()
    )
    assert response.status_code == 409
    assert response.json()["error"] == "slug_taken"


@pytest.mark.parametrize(
    "payload", [{"name": ""}, {"name": "   "}, {"name": "x", "slug": "Bad Slug"}, {}]
)
async def test_create_org_validation(client: Client, payload: dict[str, str]) -> None:
    actor = await client.actor(with_org=False)
    response = await client.post("/api/v1/orgs", json=payload, headers=actor.headers())
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


async def test_list_my_orgs_with_roles(client: Client) -> None:
    owner = await client.actor()
    member = await client.join(owner, "member")
    own = await client.post("/api/v1/orgs", json={"name": "Mine"}, headers=member.headers())
    response = await client.get("/api/v1/orgs", headers=member.headers())
    assert response.status_code == 200
    assert [(o["id"], o["role"]) for o in response.json()] == [
        (owner.org_id, "member"),
        (own.json()["id"], "owner"),
    ]


async def test_get_org(client: Client) -> None:
    owner = await client.actor()
    await client.join(owner)
    response = await client.get(f"/api/v1/orgs/{owner.org_id}", headers=owner.headers())
    assert response.status_code == 200
    assert response.json()["member_count"] == 2


async def test_non_member_gets_404_for_org(client: Client) -> None:
    owner = await client.actor()
    stranger = await client.actor()
    response = await client.get(f"/api/v1/orgs/{owner.org_id}", headers=stranger.headers())
    assert response.status_code == 404
    assert response.json()["error"] == "org_not_found"
    patch = await client.patch(
        f"/api/v1/orgs/{owner.org_id}", json={"name": "Hijacked"}, headers=stranger.headers()
    )
    assert patch.status_code == 404


async def test_update_org_by_admin_not_member(client: Client) -> None:
    owner = await client.actor()
    admin = await client.join(owner, "admin")
    member = await client.join(owner, "member")
    ok = await client.patch(
        f"/api/v1/orgs/{owner.org_id}", json={"name": "Updated Name"}, headers=admin.headers()
    )
    assert ok.status_code == 200
    assert ok.json()["name"] == "Updated Name"
    denied = await client.patch(
        f"/api/v1/orgs/{owner.org_id}", json={"name": "Nope"}, headers=member.headers()
    )
    assert denied.status_code == 403
    assert denied.json()["error"] == "insufficient_permissions"


async def test_invite_registered_user_adds_member(client: Client) -> None:
    owner = await client.actor()
    other = await client.actor(with_org=False)
    response = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": other.email, "role": "member"},
        headers=owner.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert body["user_id"] == other.user_id
    again = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": other.email, "role": "member"},
        headers=owner.headers(),
    )
    assert again.status_code == 409
    assert again.json()["error"] == "already_member"


async def test_member_cannot_invite_and_admin_cannot_make_owners(client: Client) -> None:
    owner = await client.actor()
    admin = await client.join(owner, "admin")
    member = await client.join(owner, "member")
    by_member = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": "x@example.com"},
        headers=member.headers(),
    )
    assert by_member.status_code == 403
    owner_by_admin = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": "y@example.com", "role": "owner"},
        headers=admin.headers(),
    )
    assert owner_by_admin.status_code == 403


async def test_free_plan_member_limit(client: Client) -> None:
    owner = await client.actor()
    await client.join(owner)
    await client.join(owner)
    response = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": "fourth@example.com"},
        headers=owner.headers(),
    )
    assert response.status_code == 403
    assert response.json()["error"] == "plan_limit_reached"
    assert response.json()["details"] == {"limit": 3, "plan": "FREE"}


async def test_list_members_paginates_with_total(client: Client) -> None:
    owner = await client.actor()
    second = await client.join(owner)
    response = await client.get(
        f"/api/v1/orgs/{owner.org_id}/members?limit=1&offset=1", headers=owner.headers()
    )
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "2"
    assert [m["user_id"] for m in response.json()] == [second.user_id]


async def test_change_role(client: Client) -> None:
    owner = await client.actor()
    member = await client.join(owner)
    response = await client.patch(
        f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}",
        json={"role": "admin"},
        headers=owner.headers(),
    )
    assert response.status_code == 200
    assert response.json()["role"] == "admin"


async def test_last_owner_cannot_step_down(client: Client) -> None:
    owner = await client.actor()
    response = await client.patch(
        f"/api/v1/orgs/{owner.org_id}/members/{owner.user_id}",
        json={"role": "member"},
        headers=owner.headers(),
    )
    assert response.status_code == 409
    assert response.json()["error"] == "last_owner"


async def test_change_role_of_non_member_is_404(client: Client) -> None:
    owner = await client.actor()
    stranger = await client.actor()
    response = await client.patch(
        f"/api/v1/orgs/{owner.org_id}/members/{stranger.user_id}",
        json={"role": "admin"},
        headers=owner.headers(),
    )
    assert response.status_code == 404


async def test_remove_member_and_leave(client: Client) -> None:
    owner = await client.actor()
    first = await client.join(owner)
    second = await client.join(owner)
    removed = await client.delete(
        f"/api/v1/orgs/{owner.org_id}/members/{first.user_id}", headers=owner.headers()
    )
    assert removed.status_code == 204
    left = await client.delete(
        f"/api/v1/orgs/{owner.org_id}/members/{second.user_id}", headers=second.headers()
    )
    assert left.status_code == 204
    members = await client.get(f"/api/v1/orgs/{owner.org_id}/members", headers=owner.headers())
    assert [m["user_id"] for m in members.json()] == [owner.user_id]
    gone = await client.get(f"/api/v1/orgs/{owner.org_id}", headers=second.headers())
    assert gone.status_code == 404


async def test_member_cannot_remove_others(client: Client) -> None:
    owner = await client.actor()
    member = await client.join(owner)
    response = await client.delete(
        f"/api/v1/orgs/{owner.org_id}/members/{owner.user_id}", headers=member.headers()
    )
    assert response.status_code == 403


async def test_invitations_list_and_revoke(client: Client) -> None:
    owner = await client.actor()
    await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": "pending@example.com"},
        headers=owner.headers(),
    )
    listed = await client.get(f"/api/v1/orgs/{owner.org_id}/invitations", headers=owner.headers())
    assert listed.status_code == 200
    [invitation] = listed.json()
    assert invitation["email"] == "pending@example.com"
    revoked = await client.delete(
        f"/api/v1/orgs/{owner.org_id}/invitations/{invitation['id']}", headers=owner.headers()
    )
    assert revoked.status_code == 204
    other = await client.actor()
    cross = await client.delete(
        f"/api/v1/orgs/{other.org_id}/invitations/{invitation['id']}", headers=other.headers()
    )
    assert cross.status_code == 404

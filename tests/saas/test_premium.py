from __future__ import annotations

from tests.saas.helpers import Client


async def test_free_feature_for_everyone(client: Client) -> None:
    actor = await client.actor(with_org=False)
    response = await client.get("/api/v1/premium/free-feature", headers=actor.headers())
    assert response.status_code == 200
    assert response.json()["available"] is True
    anonymous = await client.get("/api/v1/premium/free-feature")
    assert anonymous.status_code == 401


async def test_analytics_needs_pro_and_names_it(client: Client) -> None:
    owner = await client.actor()
    response = await client.get("/api/v1/premium/analytics", headers=owner.headers())
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "plan_upgrade_required"
    assert "Pro plan" in body["detail"]
    assert body["details"]["required_plan"] == "PRO"


async def test_analytics_after_paying_has_real_figures(client: Client) -> None:
    owner = await client.actor()
    await client.join(owner, "admin")
    await client.api_key(owner)
    await client.pay_for(owner, "PRO")
    for message in ("Hello", "What plan are we on?"):
        await client.post("/api/v1/ai/chat", json={"message": message}, headers=owner.headers())
    response = await client.get("/api/v1/premium/analytics", headers=owner.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "PRO"
    assert body["members"]["total"] == 2
    assert body["members"]["by_role"] == {"owner": 1, "admin": 1, "member": 0}
    assert body["api_keys"]["active"] == 1
    assert body["ai"]["requests"] == 2
    assert body["ai"]["top_users"][0]["email"] == owner.email
    assert sum(d["requests"] for d in body["ai"]["daily"]) == 2


async def test_white_label_needs_team(client: Client) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "PRO")
    response = await client.get("/api/v1/premium/white-label", headers=owner.headers())
    assert response.status_code == 403
    assert response.json()["details"]["required_plan"] == "TEAM"


async def test_white_label_settings_for_team(client: Client) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "TEAM")
    response = await client.get("/api/v1/premium/white-label", headers=owner.headers())
    assert response.status_code == 200
    assert response.json()["brand_name"] == f"Org of {owner.email}"
    updated = await client.patch(
        "/api/v1/premium/white-label",
        json={"brand_name": "Acme", "primary_color": "#112233", "custom_domain": "app.acme.com"},
        headers=owner.headers(),
    )
    assert updated.status_code == 200
    assert updated.json()["primary_color"] == "#112233"
    bad = await client.patch(
        "/api/v1/premium/white-label", json={"primary_color": "red"}, headers=owner.headers()
    )
    assert bad.status_code == 422
    again = await client.get("/api/v1/premium/white-label", headers=owner.headers())
    assert again.json()["brand_name"] == "Acme"

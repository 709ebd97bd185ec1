"""Per-station pricing through HTTP: rules, menus, menu items, quotes."""

from __future__ import annotations

import pytest

from tests.hibachi.helpers import Client


async def test_pricing_is_public_and_shows_the_defaults(client: Client) -> None:
    response = await client.get("/api/v1/pricing")
    assert response.status_code == 200
    body = response.json()
    assert (body["deposit_type"], body["deposit_value"], body["minimum_order"]) == (
        "fixed",
        "100.00",
        550.0,
    )
    assert body["slot_times"] == ["12:00", "15:00", "18:00", "21:00"]
    assert body["closed_weekdays"] == [0]
    adult = next(m for m in body["menus"] if m["code"] == "adult")
    assert adult["price_per_guest"] == 100.0


async def test_an_admin_changes_the_rules_and_quotes_follow(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.put(
        "/api/pricing",
        json={
            "tax_rate": "0.10",
            "service_fee_rate": "0.20",
            "deposit_type": "percent",
            "deposit_value": "50",
            "minimum_order": "0",
            "menus": [{"code": "adult", "name": "Adult", "price_per_guest": "60.00"}],
        },
        headers=admin.headers(),
    )
    assert response.status_code == 200
    quote = await client.post("/api/v1/pricing/quote", json={"guests": 25, "menu": "adult"})
    assert quote.status_code == 200
    body = quote.json()
    assert (body["subtotal"], body["tax"], body["service_fee"]) == (1500.0, 150.0, 300.0)
    assert (body["total_amount"], body["deposit_amount"], body["deposit_required"]) == (
        1950.0,
        975.0,
        975.0,
    )


async def test_quote_with_menu_items_is_the_v1_documents_example(client: Client) -> None:
    admin = await client.staff("admin")
    await client.put(
        "/api/v1/pricing",
        json={
            "tax_rate": "0.10",
            "service_fee_rate": "0.20",
            "deposit_type": "percent",
            "deposit_value": "50",
        },
        headers=admin.headers(),
    )
    items = {i["name"]: i["id"] for i in (await client.get("/api/v1/menu-items")).json()}
    quote = await client.post(
        "/api/v1/pricing/quote",
        json={
            "guest_count": 25,
            "menu_items": [
                {"menu_item_id": items["Hibachi Chicken"], "quantity": 15},
                {"menu_item_id": items["Hibachi Steak"], "quantity": 10},
            ],
        },
    )
    body = quote.json()
    assert (
        body["subtotal"],
        body["tax"],
        body["service_fee"],
        body["total_amount"],
        body["deposit_amount"],
    ) == (
        725.0,
        72.5,
        145.0,
        942.5,
        471.25,
    )


async def test_the_minimum_order_shows_in_a_quote(client: Client) -> None:
    response = await client.post("/api/v1/pricing/quote", json={"guests": 2})
    body = response.json()
    assert (body["subtotal"], body["minimum_applied"]) == (550.0, True)
    assert body["notes"] == ["The minimum order of 550.00 applies."]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slot_times": ["25:00"]}, "slot_times"),
        ({"slot_times": ["18:00", "18:00"]}, "slot_times"),
        ({"closed_weekdays": [7]}, "closed_weekdays"),
        ({"tax_rate": "1.5"}, "tax_rate"),
        ({"deposit_type": "percent", "deposit_value": "150"}, "deposit_value"),
        ({"min_guests": 50, "max_guests": 10}, "min_guests"),
        ({"tax_rate": None}, "tax_rate"),
    ],
)
async def test_invalid_rules_are_422(
    client: Client, payload: dict[str, object], field: str
) -> None:
    admin = await client.staff("admin")
    response = await client.put("/api/v1/pricing", json=payload, headers=admin.headers())
    assert response.status_code == 422
    assert field in response.json()["details"]


async def test_only_admins_change_pricing(client: Client) -> None:
    manager = await client.staff("manager")
    response = await client.put(
        "/api/v1/pricing", json={"tax_rate": "0.05"}, headers=manager.headers()
    )
    assert response.status_code == 403


async def test_pricing_is_per_station(client: Client) -> None:
    station = await client.station()
    other_admin = await client.staff("admin", station=station["id"])
    await client.put("/api/v1/pricing", json={"tax_rate": "0.0925"}, headers=other_admin.headers())
    main = await client.get("/api/v1/pricing")
    other = await client.get("/api/v1/pricing", headers={"X-Station-ID": station["code"]})
    assert (main.json()["tax_rate"], other.json()["tax_rate"]) == ("0.0000", "0.0925")


async def test_menu_item_lifecycle(client: Client) -> None:
    admin = await client.staff("admin")
    created = await client.post(
        "/api/v1/menu-items",
        json={"name": "Wagyu Upgrade", "category": "upgrade", "price": "45.50"},
        headers=admin.headers(),
    )
    assert created.status_code == 201
    item = created.json()
    assert (item["price"], item["is_active"]) == (45.5, True)
    duplicate = await client.post(
        "/api/v1/menu-items",
        json={"name": "Wagyu Upgrade", "category": "upgrade", "price": "1"},
        headers=admin.headers(),
    )
    assert duplicate.status_code == 409
    changed = await client.put(
        f"/api/v1/menu-items/{item['id']}", json={"price": "49.00"}, headers=admin.headers()
    )
    assert changed.json()["price"] == 49.0
    retired = await client.delete(f"/api/v1/menu-items/{item['id']}", headers=admin.headers())
    assert retired.status_code == 204
    active = await client.get("/api/v1/menu-items", params={"category": "upgrade"})
    assert "Wagyu Upgrade" not in [i["name"] for i in active.json()]
    quote = await client.post(
        "/api/v1/pricing/quote",
        json={"guests": 2, "menu_items": [{"menu_item_id": item["id"], "quantity": 2}]},
    )
    assert quote.status_code == 422
    assert quote.json()["code"] == "menu_item_inactive"


async def test_another_stations_menu_item_is_404(client: Client) -> None:
    station = await client.station()
    outsider = await client.staff("admin", station=station["id"])
    item = (await client.get("/api/v1/menu-items")).json()[0]
    response = await client.put(
        f"/api/v1/menu-items/{item['id']}", json={"price": "1.00"}, headers=outsider.headers()
    )
    assert response.status_code == 404

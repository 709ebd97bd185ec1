"""QR campaigns through HTTP: creation with a code and image, scans by GET (redirect)
and POST, unique visitors, analytics, deactivation, roles and stations; plus the
pure helpers (device types, UTM parameters, URL validation)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from tests.hibachi.helpers import Actor, Client, business_today
from trident.apps.hibachi.qr import service
from trident.apps.hibachi.qr.schemas import QrCampaignCreate
from trident.core.clock import utcnow

BASE = "/api/qr"
TARGET = "https://myhibachi.com/book"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0"


async def _create(client: Client, actor: Actor, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Flyer", "target_url": TARGET, **overrides}
    response = await client.post(f"{BASE}/campaigns", json=body, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def _scan(client: Client, code: str, user_agent: str = IPHONE) -> Any:
    return await client.get(f"{BASE}/track/{code}", headers={"User-Agent": user_agent})


async def test_create_gives_a_code_a_tracking_url_and_a_qr_image(client: Client) -> None:
    admin = await client.staff("admin")
    body = await _create(client, admin, description="Spring flyer")
    assert len(body["code"]) == 8 and set(body["code"]) <= set(service.ALPHABET)
    assert body["tracking_url"] == f"http://testserver/api/qr/track/{body['code']}"
    assert body["qr_code"].startswith("data:image/png;base64,")
    assert (body["scans_count"], body["is_active"], body["target_url"]) == (0, True, TARGET)
    assert body["created_by_id"] == admin.user_id


@pytest.mark.parametrize(
    "target_url",
    ["ftp://myhibachi.com/file", "javascript:alert(1)", "not a url", "https://", "http:///x"],
)
async def test_a_target_that_is_not_a_web_url_is_422(client: Client, target_url: str) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        f"{BASE}/campaigns",
        json={"name": "Bad", "target_url": target_url},
        headers=admin.headers(),
    )
    assert response.status_code == 422
    assert "target_url" in response.json()["details"]


async def test_an_expiry_in_the_past_is_422(client: Client) -> None:
    admin = await client.staff("admin")
    past = (utcnow() - timedelta(days=1)).isoformat()
    response = await client.post(
        f"{BASE}/campaigns",
        json={"name": "Old", "target_url": TARGET, "expires_at": past},
        headers=admin.headers(),
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"expires_at": "must be in the future"}


async def test_a_scan_redirects_to_the_target_with_utm_and_counts(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(
        client, admin, utm={"source": "flyer", "medium": "print", "campaign": "spring"}
    )
    response = await _scan(client, campaign["code"])
    after = await client.get(f"{BASE}/campaigns/{campaign['id']}", headers=admin.headers())
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"{TARGET}?utm_source=flyer&utm_medium=print&utm_campaign=spring"
    )
    assert after.json()["scans_count"] == 1
    assert after.json()["last_scan_at"] is not None


async def test_post_track_answers_the_target_without_auth(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin, target_url=f"{TARGET}?promo=QR")
    response = await client.post(
        f"{BASE}/track/{campaign['code'].lower()}", headers={"User-Agent": ANDROID}
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "target_url": f"{TARGET}?promo=QR",
        "campaign_id": campaign["id"],
    }


async def test_analytics_count_scans_unique_visitors_and_devices(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin)
    for user_agent in (IPHONE, IPHONE, DESKTOP):
        assert (await _scan(client, campaign["code"], user_agent)).status_code == 302
    viewer = await client.staff("viewer")
    response = await client.get(
        f"{BASE}/campaigns/{campaign['id']}/analytics", headers=viewer.headers()
    )
    assert response.status_code == 200
    body = response.json()
    today = business_today().isoformat()
    assert (body["total_scans"], body["unique_visitors"]) == (3, 2)
    assert body["scans_by_day"] == [{"date": today, "scans": 3, "unique_visitors": 2}]
    assert body["scans_by_device"] == {
        "mobile": 2,
        "tablet": 0,
        "desktop": 1,
        "bot": 0,
        "unknown": 0,
    }
    assert body["last_scan_at"] is not None


async def test_analytics_of_a_range_without_scans_are_zero(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin)
    await _scan(client, campaign["code"])
    tomorrow = (business_today() + timedelta(days=1)).isoformat()
    response = await client.get(
        f"{BASE}/campaigns/{campaign['id']}/analytics",
        params={"date_from": tomorrow},
        headers=admin.headers(),
    )
    assert response.status_code == 200
    assert (response.json()["total_scans"], response.json()["scans_by_day"]) == (0, [])


async def test_analytics_refuse_a_reversed_range(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin)
    response = await client.get(
        f"{BASE}/campaigns/{campaign['id']}/analytics",
        params={"date_from": "2025-02-01", "date_to": "2025-01-01"},
        headers=admin.headers(),
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"date_to": "must not be before date_from"}


async def test_a_deactivated_code_is_404(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin)
    deleted = await client.delete(f"{BASE}/campaigns/{campaign['id']}", headers=admin.headers())
    scan = await _scan(client, campaign["code"])
    assert deleted.status_code == 200
    assert deleted.json()["is_active"] is False
    assert scan.status_code == 404
    assert scan.json()["code"] == "qr_code_not_found"


async def test_an_unknown_code_is_404(client: Client) -> None:
    response = await client.post(f"{BASE}/track/NOSUCHCODE")
    assert response.status_code == 404
    assert response.json()["code"] == "qr_code_not_found"


async def test_update_repoints_and_reactivates(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _create(client, admin)
    url = f"{BASE}/campaigns/{campaign['id']}"
    await client.delete(url, headers=admin.headers())
    response = await client.put(
        url,
        json={"name": "Flyer v2", "target_url": "https://myhibachi.com/menu", "is_active": True},
        headers=admin.headers(),
    )
    scan = await _scan(client, campaign["code"])
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["is_active"]) == ("Flyer v2", True)
    assert scan.headers["location"] == "https://myhibachi.com/menu"


async def test_the_list_has_scan_counts_and_only_the_stations_campaigns(client: Client) -> None:
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    ours = await client.staff("admin")
    scanned = await _create(client, ours, name="Scanned")
    quiet = await _create(client, ours, name="Quiet")
    await _create(client, theirs, name="Theirs")
    await _scan(client, scanned["code"])
    await _scan(client, scanned["code"], DESKTOP)
    response = await client.get(f"{BASE}/campaigns", headers=ours.headers())
    assert response.status_code == 200
    counts = {c["id"]: c["scans_count"] for c in response.json()["items"]}
    assert counts == {scanned["id"]: 2, quiet["id"]: 0}


async def test_another_stations_campaign_and_analytics_are_404(client: Client) -> None:
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    ours = await client.staff("admin")
    campaign = await _create(client, ours)
    for path in ("", "/analytics"):
        response = await client.get(
            f"{BASE}/campaigns/{campaign['id']}{path}", headers=theirs.headers()
        )
        assert response.status_code == 404, path
        assert response.json()["code"] == "qr_campaign_not_found"


async def test_staff_cannot_create_qr_campaigns(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post(
        f"{BASE}/campaigns", json={"name": "X", "target_url": TARGET}, headers=staff.headers()
    )
    assert response.status_code == 403
    assert response.json()["details"]["required_permission"] == "qr:manage"


# -- pure helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (IPHONE, "mobile"),
        (ANDROID, "mobile"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120", "tablet"),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15", "tablet"),
        (DESKTOP, "desktop"),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", "bot"),
        ("", "unknown"),
        ("SomethingElse/1.0", "unknown"),
    ],
)
def test_device_type(user_agent: str, expected: str) -> None:
    assert service.device_type(user_agent) == expected


def test_utm_parameters_keep_those_the_target_has() -> None:
    url = service.with_utm(
        "https://a.example/p?utm_source=own&x=1#top", {"source": "qr", "medium": "print"}
    )
    assert url == "https://a.example/p?utm_source=own&x=1&utm_medium=print#top"


def test_visitor_hash_changes_with_the_day() -> None:
    one = service.visitor_hash("secret", "1.2.3.4", IPHONE, date(2025, 1, 1))
    same = service.visitor_hash("secret", "1.2.3.4", IPHONE, date(2025, 1, 1))
    next_day = service.visitor_hash("secret", "1.2.3.4", IPHONE, date(2025, 1, 2))
    assert one == same != next_day
    assert len(one) == 64


def test_target_url_keeps_its_spelling() -> None:
    body = QrCampaignCreate(name="X", target_url=" https://a.example/Path?q=1 ")
    assert body.target_url == "https://a.example/Path?q=1"
    with pytest.raises(ValidationError):
        QrCampaignCreate(name="X", target_url="https://a.example/with space")


class TestLinksFromTheRequestOrigin:
    """Without PUBLIC_URL, a tracking link points where the app was reached."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"public_url": ""}

    async def test_tracking_url_uses_the_request_host(self, client: Client) -> None:
        admin = await client.staff("admin")
        response = await client.post(
            f"{BASE}/campaigns",
            json={"name": "Flyer", "target_url": TARGET},
            headers={**admin.headers(), "Host": "qr.example:8443"},
        )
        assert response.status_code == 201, response.text
        code = response.json()["code"]
        assert response.json()["tracking_url"] == f"http://qr.example:8443/api/qr/track/{code}"

"""The newest document's rate-limit tiers, headers and 429 body."""

from __future__ import annotations

import pytest

from tests.hibachi.helpers import Client


class TestPublicTier:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"rate_limit_public": "3/minute;50/hour"}

    # the client fixture's own sign-in was this address's first public request

    async def test_headers_name_the_tier_and_each_window(self, client: Client) -> None:
        response = await client.get("/api/v1/pricing")
        headers = response.headers
        assert headers["x-ratelimit-tier"] == "public"
        assert headers["x-ratelimit-remaining-minute"] == "1"
        assert headers["x-ratelimit-remaining-hour"] == "48"
        assert (
            int(headers["x-ratelimit-reset-hour"]) > int(headers["x-ratelimit-reset-minute"]) - 61
        )
        assert headers["x-ratelimit-backend"] in ("memory", "redis")
        assert headers["x-ratelimit-limit"] == "3"

    async def test_the_fourth_request_is_429_in_the_newest_shape(self, client: Client) -> None:
        for _ in range(2):
            await client.get("/api/v1/pricing")
        response = await client.get("/api/v1/pricing")
        assert response.status_code == 429
        body = response.json()
        assert body["error"] == "Rate limit exceeded"
        assert (body["tier"], body["limit_type"], body["limit_value"], body["current"]) == (
            "public",
            "minute",
            3,
            4,
        )
        assert body["retry_after_seconds"] == int(response.headers["retry-after"])
        assert body["status_code"] == 429

    async def test_probes_are_never_limited(self, client: Client) -> None:
        statuses = {(await client.get("/health")).status_code for _ in range(6)}
        assert statuses == {200}


class TestHourWindow:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"rate_limit_public": "100/minute;2/hour"}

    async def test_the_hour_window_refuses_too(self, client: Client) -> None:
        await client.get("/api/v1/pricing")  # with the fixture's sign-in, the second
        response = await client.get("/api/v1/pricing")
        assert response.status_code == 429
        assert (response.json()["limit_type"], response.json()["limit_value"]) == ("hour", 2)


class TestTiers:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {
            "rate_limit_authenticated": "100/minute;1000/hour",
            "rate_limit_premium": "200/minute;2000/hour",
            "rate_limit_admin": "500/minute;5000/hour",
        }

    @pytest.mark.parametrize(
        ("role", "tier", "limit"),
        [
            ("staff", "authenticated", "100"),
            ("manager", "premium", "200"),
            ("admin", "admin", "500"),
        ],
    )
    async def test_each_role_has_its_tier(
        self, client: Client, role: str, tier: str, limit: str
    ) -> None:
        actor = await client.staff(role)
        response = await client.get("/api/v1/bookings", headers=actor.headers())
        assert (response.headers["x-ratelimit-tier"], response.headers["x-ratelimit-limit"]) == (
            tier,
            limit,
        )

    async def test_api_keys_are_premium(self, client: Client) -> None:
        admin = await client.staff("admin")
        key = await client.post(
            "/api/admin/api-keys",
            json={"name": "k", "permissions": ["bookings:read"]},
            headers=admin.headers(),
        )
        response = await client.get("/api/v1/bookings", headers={"X-API-Key": key.json()["key"]})
        assert response.headers["x-ratelimit-tier"] == "premium"

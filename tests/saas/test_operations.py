"""Operating the app: rate limits, readiness with a dependency down, admin and seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.saas.conftest import make_settings
from tests.saas.helpers import Client
from trident.apps.saas import commands


class TestRateLimits:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"rate_limit_anonymous": "3/minute", "login_rate_limit": "2/minute"}

    async def test_exceeding_the_tier_limit_is_429_in_the_envelope(self, client: Client) -> None:
        for remaining in (2, 1, 0):
            ok = await client.get("/api/v1/billing/plans")
            assert ok.status_code == 200
            assert ok.headers["x-ratelimit-remaining"] == str(remaining)
        limited = await client.get("/api/v1/billing/plans")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        body = limited.json()
        assert body["error"] == "rate_limit_exceeded"
        assert body["details"]["limit"] == 3
        assert body["details"]["tier"] == "anonymous"
        assert body["request_id"] == limited.headers["x-request-id"]

    async def test_login_has_its_own_tighter_limit(self, client: Client) -> None:
        codes = [
            (await client.login("nobody@example.com", "wrong-password")).status_code
            for _ in range(3)
        ]
        assert codes == [401, 401, 429]


class TestRedisDown:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"redis_url": "redis://127.0.0.1:1/0"}

    async def test_ready_is_503_when_redis_is_down(self, client: Client) -> None:
        response = await client.get("/ready")
        assert response.status_code == 503
        body = response.json()
        assert body["checks"] == {"database": "ok", "redis": "unavailable"}
        assert body["ready"] is False

    async def test_requests_still_work_while_redis_is_down(self, client: Client) -> None:
        response = await client.get("/api/v1/billing/plans")
        assert response.status_code == 200
        assert "x-ratelimit-limit" in response.headers


async def test_ensure_admin_creates_a_superuser_once(
    client: Client, saas_database: str, tmp_path: Path
) -> None:
    settings = make_settings(saas_database, tmp_path)
    first = await commands.ensure_admin(settings, "Root@Example.com", "AdminPass123!")
    second = await commands.ensure_admin(settings, "root@example.com", "AdminPass123!")
    assert first == "created administrator root@example.com"
    assert second == "root@example.com is an administrator"
    login = await client.login("root@example.com", "AdminPass123!")
    assert login.status_code == 200
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    )
    assert me.json()["is_superuser"] is True


async def test_seed_runs_once(client: Client, saas_database: str, tmp_path: Path) -> None:
    settings = make_settings(saas_database, tmp_path)
    first = await commands.seed(settings)
    second = await commands.seed(settings)
    assert any("Demo Company" in line for line in first)
    assert second == ["demo data already present"]
    login = await client.login("owner@demo.trident.dev", "DemoPass123!")
    assert login.status_code == 200


async def test_a_failed_job_lands_in_the_failed_jobs_table(app, client: Client) -> None:
    from sqlalchemy import select

    from trident.apps.saas.models import FailedJob

    runtime = app.state.runtime
    await runtime.record_failed_job("saas.touch_api_key", {"key_id": 3}, "OperationalError: x", 4)
    async with runtime.unit_of_work(write=False) as db:
        rows = (await db.scalars(select(FailedJob))).all()
    assert [(r.job_name, r.arguments, r.attempts) for r in rows] == [
        ("saas.touch_api_key", '{"key_id": 3}', 4)
    ]

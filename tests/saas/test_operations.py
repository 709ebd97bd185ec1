"""Operating the app: readiness with a dependency down, failed jobs, admin and seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.saas.conftest import make_settings
from tests.saas.helpers import Client
from trident.apps.saas import commands


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
    # the second run changes nothing, and shows the same accounts and key again
    assert second[0] == "demo data already present"
    assert second[1:] == [line for line in first if line.startswith("demo ")]
    key = second[-1].rsplit(": ", 1)[1]
    usage = await client.get("/api/v1/ai/usage", headers={"X-API-Key": key})
    assert usage.status_code == 200, usage.text
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

"""Health, readiness, info, database and worker health, features, rate-limit status."""

from __future__ import annotations

import pytest

from tests.hibachi.helpers import Client


async def test_health_has_the_documents_fields(client: Client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"], body["database"]) == ("healthy", "1.0.0", "connected")
    assert body["external_services"] == {"stripe": "local", "openai": "local"}
    assert body["environment"] == "test"
    assert body["uptime_seconds"] >= 0
    assert body["timestamp"].endswith("Z")


async def test_ready(client: Client) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["ready"] is True


async def test_database_health_on_both_paths(client: Client) -> None:
    for path in ("/api/health/db", "/health/db"):
        response = await client.get(path)
        assert response.status_code == 200, path
        body = response.json()
        assert (body["status"], body["database"]) == ("healthy", "connected")
        assert body["schema_revision"]
        assert body["latency_ms"] >= 0


async def test_workers_health(client: Client) -> None:
    response = await client.get("/health/workers")
    assert response.status_code == 200
    body = response.json()
    assert body["failed_jobs_24h"] == 0
    assert body["mode"] in ("in-process", "redis-stream")


async def test_features_say_only_a_status_to_anonymous_callers(client: Client) -> None:
    response = await client.get("/health/features")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


async def test_features_in_full_for_an_operator(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get("/health/features", headers=admin.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["features"]["mfa"] == "enabled"
    assert body["features"]["audit_logging"] == "enabled"
    assert body["features"]["email_service"] == "outbox"
    assert body["providers"]["payments"] == "local"


async def test_features_stay_minimal_for_staff_without_monitoring(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.get("/health/features", headers=staff.headers())
    assert response.json() == {"status": "healthy"}


async def test_info_for_anonymous_callers(client: Client) -> None:
    response = await client.get("/info")
    assert response.status_code == 200
    assert response.json() == {
        "name": "MyHibachi API",
        "status": "ok",
        "api_versions": ["v1"],
        "docs_url": "/docs",
        "redoc_url": "/redoc",
        "openapi_url": "/openapi.json",
    }


async def test_info_for_an_operator(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get("/info", headers=admin.headers())
    body = response.json()
    assert (body["version"], body["environment"]) == ("1.0.0", "test")
    assert body["providers"]["payments"] == "local"


async def test_metrics(client: Client) -> None:
    await client.get("/health")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert 'http_requests_total{app="hibachi"' in response.text


class TestMetricsToken:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"metrics_token": "scrape-" + "m" * 24}

    async def test_metrics_need_the_token(self, client: Client) -> None:
        response = await client.get("/metrics")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401

    async def test_metrics_with_the_token(self, client: Client) -> None:
        response = await client.get(
            "/metrics", headers={"Authorization": "Bearer scrape-" + "m" * 24}
        )
        assert response.status_code == 200
        assert "http_requests_total" in response.text


async def test_rate_limit_status_for_a_signed_in_user(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.get("/api/v1/monitoring/rate-limit/status", headers=staff.headers())
    assert response.status_code == 200
    body = response.json()
    assert (body["enabled"], body["tier"], body["limit"]) == (True, "authenticated", 1000)
    assert body["requests_made"] == 1
    assert body["remaining"] == 999
    assert body["window_duration"] == 60
    assert [w["name"] for w in body["windows"]] == ["minute"]

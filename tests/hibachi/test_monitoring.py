"""Health, readiness, info, database and worker health, features, rate-limit status."""

from __future__ import annotations

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


async def test_features(client: Client) -> None:
    response = await client.get("/health/features")
    body = response.json()
    assert body["features"]["mfa"] == "enabled"
    assert body["features"]["audit_logging"] == "enabled"
    assert body["features"]["email_service"] == "outbox"
    assert body["providers"]["payments"] == "local"


async def test_info(client: Client) -> None:
    response = await client.get("/info")
    body = response.json()
    assert (body["name"], body["api_versions"], body["docs_url"]) == (
        "MyHibachi API",
        ["v1"],
        "/docs",
    )


async def test_metrics(client: Client) -> None:
    await client.get("/health")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert 'http_requests_total{app="hibachi"' in response.text


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

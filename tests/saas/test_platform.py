"""Health, metrics, the error envelope, rate limits and headers."""

from __future__ import annotations

import pytest

from tests.saas.helpers import Client


async def test_health(client: Client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "healthy"


async def test_ready_checks_database(client: Client) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["status"] == "ready"


async def test_live(client: Client) -> None:
    response = await client.get("/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_metrics_count_requests_by_route_template(client: Client) -> None:
    owner = await client.actor()
    await client.get(f"/api/v1/orgs/{owner.org_id}", headers=owner.headers())
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert 'route="/api/v1/orgs/{org_id}"' in response.text
    assert "http_request_duration_seconds_bucket" in response.text


async def test_unknown_route_uses_envelope(client: Client) -> None:
    response = await client.get("/api/v1/nope")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_method_not_allowed_uses_envelope(client: Client) -> None:
    response = await client.delete("/api/v1/billing/plans")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


async def test_request_id_is_echoed(client: Client) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_security_headers(client: Client) -> None:
    response = await client.get("/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_rate_limit_headers_on_every_response(client: Client) -> None:
    response = await client.get("/api/v1/billing/plans")
    assert response.headers["x-ratelimit-limit"] == "1000"
    assert int(response.headers["x-ratelimit-remaining"]) < 1000


async def test_oversized_body_is_413(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "' + b"a" * 2_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


async def test_malformed_json_is_422(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


async def test_openapi_declares_errors(client: Client) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    checkout = spec["paths"]["/api/v1/billing/checkout"]["post"]
    assert {"200", "401", "403", "409", "422"} <= set(checkout["responses"])
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]


class TestLoginLimit:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"login_rate_limit": "5/minute"}

    async def test_login_brute_force_meets_429(self, client: Client) -> None:
        await client.register("target@example.com")
        statuses = [
            (await client.login("target@example.com", "Wrong12345!")).status_code for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        blocked = await client.login("target@example.com")
        assert blocked.status_code == 429
        body = blocked.json()
        assert body["error"] == "rate_limit_exceeded"
        assert body["details"]["limit"] == 5
        assert int(blocked.headers["retry-after"]) >= 1


class TestGlobalLimit:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"rate_limit_anonymous": "3/minute"}

    async def test_anonymous_tier(self, client: Client) -> None:
        statuses = [(await client.get("/api/v1/billing/plans")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert (await client.get("/health")).status_code == 200  # probes are never limited


async def test_405_lists_every_documented_method_in_allow(client: Client) -> None:
    response = await client.put("/api/v1/orgs/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert response.json()["error"] == "method_not_allowed"


async def test_openapi_documents_the_envelope_for_validation_and_bad_bodies(
    client: Client,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    create = spec["paths"]["/api/v1/orgs"]["post"]["responses"]
    envelope = {"$ref": "#/components/schemas/ErrorBody"}
    assert create["422"]["content"]["application/json"]["schema"] == envelope
    assert create["400"]["content"]["application/json"]["schema"] == envelope
    assert "HTTPValidationError" not in spec["components"]["schemas"]


@pytest.mark.parametrize(
    ("page", "asset"),
    [
        ("/docs", "/docs/static/swagger-ui-bundle.js"),
        ("/redoc", "/docs/static/redoc.standalone.js"),
    ],
)
async def test_docs_pages_load_only_from_this_app(client: Client, page: str, asset: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert "https://" not in response.text and "http://" not in response.text
    assert asset in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    script = await client.get(asset)
    assert script.status_code == 200
    assert len(script.content) > 100_000

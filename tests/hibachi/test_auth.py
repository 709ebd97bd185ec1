"""Login, registration, the current user, refresh rotation and logout."""

from __future__ import annotations

import jwt
import pytest

from tests.hibachi.helpers import PASSWORD, ROOT_EMAIL, ROOT_PASSWORD, Client


@pytest.mark.parametrize("prefix", ["/api/auth", "/api/v1/auth"])
async def test_login_returns_tokens_and_the_user_with_permissions(
    client: Client, prefix: str
) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        f"{prefix}/login", json={"email": admin.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800  # the lifetime, as the documents show
    user = body["user"]
    assert (user["email"], user["role"], user["mfa_enabled"]) == (admin.email, "admin", False)
    assert "bookings:read" in user["permissions"]
    assert "stations:manage" not in user["permissions"]
    assert user["station"]["code"] == "main"


async def test_the_access_token_carries_the_documented_claims(client: Client) -> None:
    admin = await client.staff("manager")
    claims = jwt.decode(admin.access_token, options={"verify_signature": False})
    assert claims["typ"] == "access"
    assert (claims["sub"], claims["user_id"]) == (str(admin.user_id), admin.user_id)
    assert (claims["email"], claims["role"]) == (admin.email, "manager")


@pytest.mark.parametrize(
    ("email", "password"), [(ROOT_EMAIL, "WrongPass123!"), ("nobody@example.com", PASSWORD)]
)
async def test_wrong_credentials_are_401_without_saying_which(
    client: Client, email: str, password: str
) -> None:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    body = response.json()
    assert (body["code"], body["message"]) == (
        "invalid_credentials",
        "Incorrect email or password.",
    )
    assert response.headers["www-authenticate"] == "Bearer"


async def test_register_makes_a_signed_in_customer(client: Client) -> None:
    response = await client.post(
        "/api/auth/register",
        json={
            "email": "New.Customer@Example.com",
            "password": "Customer123!",
            "full_name": "New Customer",
            "phone": "(408) 555-0199",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["role"] == "customer"
    assert body["user"]["email"] == "new.customer@example.com"
    assert body["user"]["customer_id"] is not None
    assert body["user"]["phone"] == "+14085550199"
    assert body["user"]["permissions"] == [
        "bookings:own",
        "coupons:apply",
        "customers:own",
        "reviews:own",
    ]
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["id"] == body["user"]["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "x@example.com", "password": "short1"}, "password"),
        ({"email": "x@example.com", "password": "onlyletters"}, "password"),
        ({"email": "not-an-email", "password": "Customer123!"}, "email"),
        ({"email": "x@example.com", "password": "Customer123!", "role": "admin"}, "role"),
    ],
)
async def test_register_validation(client: Client, payload: dict[str, str], field: str) -> None:
    response = await client.post("/api/auth/register", json=payload)
    assert response.status_code == 422
    assert field in response.json()["details"]


async def test_register_twice_is_409(client: Client) -> None:
    payload = {"email": "twice@example.com", "password": "Customer123!"}
    first = await client.post("/api/auth/register", json=payload)
    second = await client.post("/api/auth/register", json=payload)
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["code"] == "email_taken"


async def test_register_at_an_unknown_station_is_404(client: Client) -> None:
    response = await client.post(
        "/api/auth/register",
        json={"email": "a@example.com", "password": "Customer123!", "station_code": "nowhere"},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "station_not_found"


async def test_me_needs_a_valid_token(client: Client) -> None:
    missing = await client.get("/api/auth/me")
    forged = await client.get("/api/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert (missing.status_code, forged.status_code) == (401, 401)
    assert (missing.json()["code"], forged.json()["code"]) == ("not_authenticated", "invalid_token")


async def test_refresh_rotates_and_a_reused_token_revokes_the_session(client: Client) -> None:
    staff = await client.staff("staff")
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": staff.refresh_token})
    assert rotated.status_code == 200
    assert rotated.json()["user"]["id"] == staff.user_id
    assert rotated.json()["refresh_token"] != staff.refresh_token
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": staff.refresh_token})
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_token_reused"
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {rotated.json()['access_token']}"}
    )
    assert me.status_code == 401
    assert me.json()["code"] == "session_revoked"


async def test_logout_with_the_refresh_token_is_204_and_ends_the_session(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post(
        "/api/auth/logout", json={"refresh_token": staff.refresh_token}, headers=staff.headers()
    )
    assert response.status_code == 204
    assert response.content == b""
    after = await client.get("/api/auth/me", headers=staff.headers())
    assert after.status_code == 401
    refresh = await client.post("/api/auth/refresh", json={"refresh_token": staff.refresh_token})
    assert refresh.status_code == 401


async def test_logout_without_a_body_ends_this_tokens_session(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post("/api/v1/auth/logout", headers=staff.headers())
    assert response.status_code == 204
    assert (await client.get("/api/auth/me", headers=staff.headers())).status_code == 401


async def test_logout_needs_authentication(client: Client) -> None:
    response = await client.post("/api/auth/logout", json={"refresh_token": "x" * 20})
    assert response.status_code == 401


async def test_a_deactivated_user_is_locked_out_at_once(client: Client) -> None:
    staff = await client.staff("staff")
    admin = await client.staff("admin")
    await client.put(
        f"/api/users/{staff.user_id}", json={"is_active": False}, headers=admin.headers()
    )
    current = await client.get("/api/auth/me", headers=staff.headers())
    login = await client.post("/api/auth/login", json={"email": staff.email, "password": PASSWORD})
    assert (current.status_code, login.status_code) == (401, 401)
    assert login.json()["code"] == "account_disabled"


async def test_root_is_a_super_admin_with_every_permission(client: Client) -> None:
    response = await client.post(
        "/api/auth/login", json={"email": ROOT_EMAIL, "password": ROOT_PASSWORD}
    )
    assert response.json()["user"]["role"] == "super_admin"
    assert response.json()["user"]["permissions"] == ["*"]


class TestLoginLimit:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"login_rate_limit": "5/minute"}

    async def test_the_sixth_login_in_a_minute_is_429(self, client: Client) -> None:
        # the fixture's own sign-in was the first
        statuses = [
            (
                await client.post(
                    "/api/auth/login", json={"email": "a@example.com", "password": "x"}
                )
            ).status_code
            for _ in range(5)
        ]
        assert statuses == [401, 401, 401, 401, 429]
        last = await client.post(
            "/api/auth/login", json={"email": "a@example.com", "password": "x"}
        )
        assert last.status_code == 429
        body = last.json()
        assert (body["error"], body["code"]) == ("Rate limit exceeded", "rate_limit_exceeded")
        assert (body["limit_type"], body["limit_value"], body["tier"]) == ("minute", 5, "login")
        assert int(last.headers["retry-after"]) >= 1
        assert body["retry_after_seconds"] == int(last.headers["retry-after"])


@pytest.mark.parametrize("token", ["garbage", "x", "a.b.c"])
async def test_a_malformed_refresh_token_is_a_401(client: Client, token: str) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"

"""Two-factor authentication: setup, verification, login with a code or a backup code."""

from __future__ import annotations

import pyotp

from tests.hibachi.helpers import PASSWORD, Actor, Client


async def _enable(client: Client, user: Actor) -> dict[str, object]:
    setup = await client.post("/api/auth/mfa/setup", headers=user.headers())
    assert setup.status_code == 200
    body = setup.json()
    code = pyotp.TOTP(body["secret"]).now()
    verify = await client.post("/api/auth/mfa/verify", json={"token": code}, headers=user.headers())
    assert verify.status_code == 200
    return body


async def test_setup_returns_secret_qr_and_backup_codes(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post("/api/auth/mfa/setup", headers=admin.headers())
    assert response.status_code == 200
    body = response.json()
    assert len(body["secret"]) >= 16
    assert body["qr_code"].startswith("data:image/png;base64,")
    assert len(body["backup_codes"]) == 10
    assert body["provisioning_uri"].startswith("otpauth://totp/MyHibachi:")
    me = await client.get("/api/auth/me", headers=admin.headers())
    assert me.json()["mfa_enabled"] is False  # not until a code is verified


async def test_verify_with_a_wrong_code_is_401(client: Client) -> None:
    admin = await client.staff("admin")
    await client.post("/api/auth/mfa/setup", headers=admin.headers())
    response = await client.post(
        "/api/auth/mfa/verify", json={"token": "000000"}, headers=admin.headers()
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_mfa_code"


async def test_verify_before_setup_is_409(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        "/api/auth/mfa/verify", json={"token": "123456"}, headers=admin.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_not_set_up"


async def test_once_enabled_login_needs_the_code(client: Client) -> None:
    admin = await client.staff("admin")
    setup = await _enable(client, admin)
    without = await client.post(
        "/api/auth/login", json={"email": admin.email, "password": PASSWORD}
    )
    assert without.status_code == 401
    assert without.json()["code"] == "mfa_required"
    assert without.json()["details"] == {"mfa_required": True}
    wrong = await client.post(
        "/api/auth/login", json={"email": admin.email, "password": PASSWORD, "mfa_code": "000000"}
    )
    assert wrong.json()["code"] == "invalid_mfa_code"
    code = pyotp.TOTP(str(setup["secret"])).now()
    ok = await client.post(
        "/api/auth/login", json={"email": admin.email, "password": PASSWORD, "mfa_code": code}
    )
    assert ok.status_code == 200
    assert ok.json()["user"]["mfa_enabled"] is True


async def test_a_backup_code_works_once(client: Client) -> None:
    admin = await client.staff("admin")
    setup = await _enable(client, admin)
    backup = setup["backup_codes"][0]  # type: ignore[index]
    body = {"email": admin.email, "password": PASSWORD, "totp_code": backup}
    first = await client.post("/api/auth/login", json=body)
    second = await client.post("/api/auth/login", json=body)
    assert (first.status_code, second.status_code) == (200, 401)


async def test_setup_again_while_enabled_is_409(client: Client) -> None:
    admin = await client.staff("admin")
    await _enable(client, admin)
    response = await client.post("/api/auth/mfa/setup", headers=admin.headers())
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_already_enabled"


async def test_disable_needs_password_and_code(client: Client) -> None:
    admin = await client.staff("admin")
    setup = await _enable(client, admin)
    code = pyotp.TOTP(str(setup["secret"])).now()
    wrong = await client.post(
        "/api/auth/mfa/disable",
        json={"password": "Nope12345", "token": code},
        headers=admin.headers(),
    )
    assert wrong.status_code == 401
    ok = await client.post(
        "/api/auth/mfa/disable", json={"password": PASSWORD, "token": code}, headers=admin.headers()
    )
    assert ok.status_code == 200
    assert ok.json()["mfa_enabled"] is False
    login = await client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD})
    assert login.status_code == 200


async def test_an_api_key_cannot_set_up_mfa(client: Client) -> None:
    admin = await client.staff("admin")
    key = await client.post(
        "/api/admin/api-keys",
        json={"name": "CRM sync", "permissions": ["bookings:read"]},
        headers=admin.headers(),
    )
    response = await client.post("/api/auth/mfa/setup", headers={"X-API-Key": key.json()["key"]})
    assert response.status_code == 403
    assert response.json()["code"] == "user_required"

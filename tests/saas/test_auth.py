from __future__ import annotations

import jwt
import pytest

from tests.saas.helpers import PASSWORD, Client


async def test_register_returns_user_with_payment_customer(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "New@Example.com", "password": PASSWORD, "full_name": "John Doe"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new@example.com"
    assert body["full_name"] == "John Doe"
    assert body["stripe_customer_id"].startswith("cus_local_")
    assert "hashed_password" not in body and "password" not in body


async def test_register_duplicate_email_conflicts(client: Client) -> None:
    await client.register("dup@example.com")
    response = await client.post(
        "/api/v1/auth/register", json={"email": "DUP@example.com", "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json()["error"] == "email_taken"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "short1"}, "password"),
        ({"email": "a@example.com", "password": "onlyletters"}, "password"),
        ({"email": "a@example.com"}, "password"),
        ({"email": "a@example.com", "password": PASSWORD, "role": "admin"}, "role"),
    ],
)
async def test_register_validation_errors_name_the_field(
    client: Client, payload: dict[str, str], field: str
) -> None:
    response = await client.post("/api/v1/auth/register", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert any(e["field"] == field for e in body["errors"])
    assert isinstance(body["detail"], str)


async def test_login_with_form_returns_token_pair(client: Client) -> None:
    await client.register("login@example.com")
    response = await client.login("login@example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["access_token"] and body["refresh_token"]
    assert body["expires_in"] == 30 * 60  # the lifetime, as the documents show


async def test_login_wrong_password_and_unknown_user_look_the_same(client: Client) -> None:
    await client.register("who@example.com")
    wrong = await client.login("who@example.com", "WrongPass123!")
    unknown = await client.login("nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"] == "invalid_credentials"
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_me_returns_user_and_orgs(client: Client) -> None:
    owner = await client.actor("me@example.com")
    response = await client.get("/api/v1/users/me", headers=owner.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "me@example.com"
    assert body["organizations"] == [
        {
            "id": owner.org_id,
            "name": "Org of me@example.com",
            "slug": "org-of-me-example-com",
            "role": "owner",
        }
    ]


async def test_me_without_token_is_401(client: Client) -> None:
    response = await client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "case", ["garbage", "alg_none", "wrong_key", "expired", "refresh_as_access", "huge_subject"]
)
async def test_bad_access_tokens_are_refused(client: Client, case: str) -> None:
    actor = await client.actor(with_org=False)
    claims = jwt.decode(actor.access_token, options={"verify_signature": False})
    token = {
        "garbage": "not.a.token",
        "alg_none": jwt.encode(claims, key=None, algorithm="none"),
        "wrong_key": jwt.encode(claims, "another-secret-" + "q" * 32, algorithm="HS256"),
        "expired": jwt.encode(
            {**claims, "exp": 1_000_000_000}, "test-jwt-secret-" + "x" * 32, algorithm="HS256"
        ),
        "refresh_as_access": actor.refresh_token,
        # validly signed, but naming a user id no database row can have
        "huge_subject": jwt.encode(
            {**claims, "sub": str(10**30)}, "test-jwt-secret-" + "x" * 32, algorithm="HS256"
        ),
    }[case]
    response = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"] in {"invalid_token", "token_expired"}


async def test_refresh_rotates_tokens(client: Client) -> None:
    actor = await client.actor(with_org=False)
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": actor.refresh_token}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] != actor.refresh_token
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


async def test_reused_refresh_token_revokes_the_whole_family(client: Client) -> None:
    actor = await client.actor(with_org=False)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": actor.refresh_token})
    assert first.status_code == 200
    new_pair = first.json()

    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": actor.refresh_token})
    assert replay.status_code == 401
    assert replay.json()["error"] == "refresh_token_reused"

    # The thief's replay revoked the session: the legitimate new tokens die too.
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert again.status_code == 401
    assert again.json()["error"] == "session_revoked"
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {new_pair['access_token']}"}
    )
    assert me.status_code == 401
    assert me.json()["error"] == "session_revoked"


async def test_logout_revokes_session(client: Client) -> None:
    actor = await client.actor(with_org=False)
    response = await client.post("/api/v1/auth/logout", json={"refresh_token": actor.refresh_token})
    assert response.status_code == 204
    me = await client.get("/api/v1/users/me", headers=actor.headers())
    assert me.status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": actor.refresh_token})
    assert refresh.status_code == 401


async def test_refresh_with_unknown_token_is_401(client: Client) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 40})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


async def test_pending_invitation_becomes_membership_at_registration(client: Client) -> None:
    owner = await client.actor()
    invite = await client.post(
        f"/api/v1/orgs/{owner.org_id}/invite",
        json={"email": "Later@Example.com", "role": "admin"},
        headers=owner.headers(),
    )
    assert invite.status_code == 201
    assert invite.json()["status"] == "pending"
    newcomer = await client.actor("later@example.com", with_org=False)
    orgs = await client.get("/api/v1/orgs", headers=newcomer.headers())
    assert orgs.status_code == 200
    assert [(o["id"], o["role"]) for o in orgs.json()] == [(owner.org_id, "admin")]


@pytest.mark.parametrize("token", ["garbage", "x", "a.b.c"])
async def test_a_malformed_refresh_token_is_a_401(client: Client, token: str) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


async def test_a_request_decodes_its_bearer_token_once(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rate limiter and the authenticator share one verified decode."""
    owner = await client.actor("once@example.com")
    decodes: list[str] = []
    real_decode = jwt.decode

    def counting_decode(token: str, *args: object, **kwargs: object) -> dict[str, object]:
        decodes.append(token)
        return real_decode(token, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("trident.core.security.tokens.jwt.decode", counting_decode)
    response = await client.get("/api/v1/users/me", headers=owner.headers())
    assert response.status_code == 200
    assert response.json()["email"] == "once@example.com"
    assert len(decodes) == 1


async def test_login_does_not_hold_the_write_lock_while_hashing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer completes while a login is still verifying its password."""
    import threading

    import anyio

    from trident.core.security import passwords

    await client.register("slow@example.com")
    hashing, release = threading.Event(), threading.Event()
    real_verify = passwords._verify

    def held_verify(stored_hash: str, password: str) -> bool:
        hashing.set()
        release.wait(10)
        return real_verify(stored_hash, password)

    monkeypatch.setattr(passwords, "_verify", held_verify)
    results: dict[str, int] = {}

    async def slow_login() -> None:
        results["login"] = (await client.login("slow@example.com")).status_code

    async with anyio.create_task_group() as group:
        group.start_soon(slow_login)
        while not hashing.is_set():
            await anyio.sleep(0.01)
        with anyio.fail_after(5):
            other = await client.post(
                "/api/v1/auth/register", json={"email": "other@example.com", "password": PASSWORD}
            )
        results["register"] = other.status_code
        release.set()
    assert results == {"register": 201, "login": 200}

"""Abuse: forged tokens, bodies too big or too deep, injection and odd unicode."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from tests.saas.helpers import Client
from trident.apps.saas.models import User

SQL_METACHARACTERS = ["'; DROP TABLE users; --", "%' OR '1'='1", '") OR 1=1 --', "\\", "%_%"]


def tamper(token: str, **claims: object) -> str:
    """Change the payload of a signed JWT and keep its signature."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_a_tampered_token_payload_is_refused(client: Client) -> None:
    victim = await client.actor(with_org=False)
    attacker = await client.actor(with_org=False)
    forged = tamper(attacker.access_token, sub=str(victim.user_id))
    response = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


async def test_a_body_streamed_without_length_is_cut_at_the_limit(client: Client) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "'
        for _ in range(64):
            yield b"a" * 65_536  # 4 MiB in all, over the 1 MiB limit
        yield b'"}'

    response = await client.post(
        "/api/v1/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


@pytest.mark.parametrize("depth", [1_000, 100_000])
async def test_deeply_nested_json_is_refused(client: Client, depth: int) -> None:
    body = "[" * depth + "]" * depth
    response = await client.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in {400, 422}
    assert response.json()["error"] in {"bad_request", "validation_error"}


async def test_a_wide_json_object_is_refused_by_the_schema(client: Client) -> None:
    wide = {f"k{i}": i for i in range(50_000)}
    response = await client.post("/api/v1/auth/register", json=wide)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


async def test_crlf_in_a_name_cannot_inject_headers(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/orgs",
        json={"name": "Evil\r\nSet-Cookie: session=stolen"},
        headers=owner.headers(),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert "set-cookie" not in response.headers


async def test_a_malformed_request_id_is_replaced(client: Client) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "bad\x01id" + "z" * 300})
    assert response.status_code == 200
    echoed = response.headers["x-request-id"]
    assert echoed.isalnum()
    assert len(echoed) <= 64


NAME_FIELDS = [
    ("POST", "/api/v1/orgs", "name", {}),
    ("POST", "/api/v1/apikeys", "name", {}),
    ("PATCH", "/api/v1/premium/white-label", "brand_name", {}),
]


@pytest.mark.parametrize(("method", "path", "field", "extra"), NAME_FIELDS)
@pytest.mark.parametrize(
    "value",
    ["a\u0000b", "a\r\nb", "\u202egnp.exe", "a\u2066b", "x" * 10_000, "\U0001f600" * 5, "  "],
)
async def test_unicode_edge_cases_in_name_fields(
    client: Client, method: str, path: str, field: str, extra: dict[str, str], value: str
) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "TEAM")
    response = await client.request(
        method, path, json={field: value, **extra}, headers=owner.headers()
    )
    if value == "\U0001f600" * 5:
        assert response.status_code in {200, 201}
        assert response.json()[field] == value
    else:
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "validation_error"
        assert response.json()["errors"][0]["field"] == field


async def test_unicode_in_registration_name_and_chat(client: Client) -> None:
    refused = await client.post(
        "/api/v1/auth/register",
        json={"email": "rtl@example.com", "password": "SecurePass123!", "full_name": "\u202eadmin"},
    )
    assert refused.status_code == 422
    owner = await client.actor()
    chat = await client.post(
        "/api/v1/ai/chat", json={"message": "h\u0000i \U0001f600 \u202e"}, headers=owner.headers()
    )
    assert chat.status_code == 200  # a chat message is not stored; the assistant just answers


async def test_sql_metacharacters_in_every_query_parameter(client: Client, app) -> None:
    owner = await client.actor()
    spec = (await client.get("/openapi.json")).json()
    tried = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        params = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        url = path.replace("{org_id}", str(owner.org_id))
        for name in params:
            for value in SQL_METACHARACTERS:
                response = await client.get(url, params={name: value}, headers=owner.headers())
                tried += 1
                assert response.status_code in {200, 422}, (path, name, value, response.text)
                if response.status_code == 422:
                    assert response.json()["error"] == "validation_error"
    assert tried > 0
    async with app.state.runtime.unit_of_work(write=False) as db:
        assert await db.scalar(select(func.count()).select_from(User)) == 1


async def test_sql_metacharacters_in_login_are_just_wrong_credentials(client: Client) -> None:
    await client.register("real@example.com")
    for value in SQL_METACHARACTERS:
        response = await client.login(value, value)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_credentials"

"""Faults: Redis or PostgreSQL disappear mid-run, and come back.

Each dependency is reached through a TCP proxy the test cuts and restores.
These run on the PostgreSQL + Redis pass (CI); SQLite is a file in-process and
has no connection to lose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy.engine import make_url

from tests.conftest import BACKEND, redis_url, wipe
from tests.reliability.proxy import Proxy, proxy_to
from tests.saas.conftest import make_settings
from tests.saas.helpers import Client
from trident.apps.saas.main import create_app
from trident.apps.saas.models import Base

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="needs PostgreSQL and Redis")


@pytest.fixture
async def redis_proxy() -> AsyncIterator[Proxy]:
    url = make_url(redis_url().replace("redis://", "redis+x://"))
    async with proxy_to(url.host or "127.0.0.1", url.port or 6379) as proxy:
        yield proxy


@pytest.fixture
async def db_proxy(saas_database: str) -> AsyncIterator[Proxy]:
    url = make_url(saas_database)
    async with proxy_to(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
async def client_through(
    saas_database: str, tmp_path: Path, redis_proxy: Proxy, db_proxy: Proxy
) -> AsyncIterator[Client]:
    database = make_url(saas_database).set(port=db_proxy.port).render_as_string(False)
    database_index = redis_url().rsplit("/", 1)[1]
    app = create_app(
        make_settings(
            database,
            tmp_path,
            redis_url=f"redis://127.0.0.1:{redis_proxy.port}/{database_index}",
        ),
        inline_jobs=True,
    )
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with Client(transport=transport, base_url="http://testserver") as client:
            yield client
    await wipe(saas_database, Base.metadata)


async def test_redis_going_away_degrades_but_serves(
    client_through: Client, redis_proxy: Proxy
) -> None:
    owner = await client_through.actor()
    assert (await client_through.get("/ready")).json()["checks"]["redis"] == "ok"

    await redis_proxy.cut()
    served = await client_through.get("/api/v1/users/me", headers=owner.headers())
    assert served.status_code == 200
    assert "x-ratelimit-limit" in served.headers  # counted in memory meanwhile
    ready = await client_through.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"] == {"database": "ok", "redis": "unavailable"}

    await redis_proxy.restore()
    assert (await client_through.get("/ready")).json()["status"] == "ready"


async def test_database_going_away_is_503_then_recovers(
    client_through: Client, db_proxy: Proxy
) -> None:
    owner = await client_through.actor()
    await db_proxy.cut()
    down = await client_through.get("/api/v1/users/me", headers=owner.headers())
    assert down.status_code == 503
    assert down.json()["error"] == "database_unavailable"
    assert down.json()["request_id"] == down.headers["x-request-id"]
    ready = await client_through.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "unavailable"

    await db_proxy.restore()
    # pool_pre_ping replaces the dead connections: the very next request is served.
    back = await client_through.get("/api/v1/users/me", headers=owner.headers())
    assert back.status_code == 200
    assert back.json()["email"] == owner.email
    assert (await client_through.get("/ready")).json()["status"] == "ready"


async def test_a_write_refused_during_the_outage_leaves_nothing_half_written(
    client_through: Client, db_proxy: Proxy
) -> None:
    owner = await client_through.actor()
    await db_proxy.cut()
    refused = await client_through.post(
        "/api/v1/orgs", json={"name": "During outage"}, headers=owner.headers()
    )
    assert refused.status_code == 503
    await db_proxy.restore()
    orgs = await client_through.get("/api/v1/orgs", headers=owner.headers())
    assert [o["name"] for o in orgs.json()] == [f"Org of {owner.email}"]

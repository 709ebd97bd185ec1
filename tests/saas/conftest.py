from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.conftest import migrated_database, redis_url, wipe
from tests.saas.helpers import WEBHOOK_SECRET, Client
from trident.apps.registry import get_app
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.main import create_app
from trident.apps.saas.models import Base


@pytest.fixture(scope="session")
async def saas_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("saas")
    return await migrated_database("saas", get_app("saas").migrations_dir, tmp)


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> SaasSettings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "redis_url": redis_url(),
        "data_dir": data_dir,
        "jwt_secret_key": "test-jwt-secret-" + "x" * 32,
        "api_key_secret": "test-api-key-secret-" + "y" * 32,
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "public_url": "http://testserver",
        "log_format": "text",
        "ai_stream_delay": 0,
        "job_retry_backoff": 0,
        "periodic_jobs": False,
        "log_level": "WARNING",
        "rate_limit_anonymous": "1000/minute",
        "rate_limit_authenticated": "1000/minute",
        "login_rate_limit": "1000/minute",
    }
    values.update(overrides)
    return SaasSettings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change the app's settings."""
    return {}


@pytest.fixture
async def app(
    saas_database: str, tmp_path: Path, settings_overrides: dict[str, object]
) -> AsyncIterator[FastAPI]:
    application = create_app(
        make_settings(saas_database, tmp_path, **settings_overrides), inline_jobs=True
    )
    async with LifespanManager(application):
        yield application
    await wipe(saas_database, Base.metadata)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[Client]:
    transport = httpx.ASGITransport(app=app)
    async with Client(transport=transport, base_url="http://testserver") as c:
        yield c

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.conftest import migrated_database, redis_url, wipe
from tests.hibachi.helpers import ROOT_EMAIL, ROOT_PASSWORD, Client
from trident.apps.hibachi import commands
from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.main import create_app
from trident.apps.hibachi.models import Base
from trident.apps.registry import get_app


@pytest.fixture(scope="session")
async def hibachi_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("hibachi")
    return await migrated_database("hibachi", get_app("hibachi").migrations_dir, tmp)


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> HibachiSettings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "redis_url": redis_url(),
        "data_dir": data_dir,
        "jwt_secret_key": "test-jwt-secret-" + "x" * 32,
        "api_key_secret": "test-api-key-secret-" + "y" * 32,
        "field_encryption_key": "test-field-key-" + "k" * 32,
        "public_url": "http://testserver",
        "log_json": False,
        "ai_stream_delay": 0,
        "job_retry_backoff": 0,
        "log_level": "WARNING",
        "rate_limit_public": "1000/minute",
        "rate_limit_authenticated": "1000/minute",
        "rate_limit_premium": "1000/minute",
        "rate_limit_admin": "1000/minute",
        "login_rate_limit": "1000/minute",
    }
    values.update(overrides)
    return HibachiSettings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change the app's settings."""
    return {}


@pytest.fixture
def settings(
    hibachi_database: str, tmp_path: Path, settings_overrides: dict[str, object]
) -> HibachiSettings:
    return make_settings(hibachi_database, tmp_path, **settings_overrides)


@pytest.fixture
async def app(hibachi_database: str, settings: HibachiSettings) -> AsyncIterator[FastAPI]:
    application = create_app(settings, inline_jobs=True)
    async with LifespanManager(application):
        yield application
    await wipe(hibachi_database, Base.metadata)


@pytest.fixture
async def client(app: FastAPI, settings: HibachiSettings) -> AsyncIterator[Client]:
    """A client with the platform bootstrapped: the default station ("main") and a
    super admin (``client.root``)."""
    await commands.ensure_admin(settings, ROOT_EMAIL, ROOT_PASSWORD)
    transport = httpx.ASGITransport(app=app)
    async with Client(transport=transport, base_url="http://testserver") as c:
        await c.sign_in_root()
        yield c

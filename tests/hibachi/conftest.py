from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.conftest import migrated_database, redis_url, wipe
from tests.hibachi.helpers import ROOT_EMAIL, ROOT_PASSWORD, TIMEZONE, Client
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
        "field_index_key": "test-index-key-" + "i" * 32,
        "public_url": "http://testserver",
        "business_timezone": TIMEZONE,
        "log_format": "text",
        "ai_stream_delay": 0,
        "job_retry_backoff": 0,
        "periodic_jobs": False,
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


class AppCache:
    """One app per distinct settings for the whole run.

    Building the app analyses every route (about 600 with the documents' prefixes,
    0.6 s); tests share an app and start from an empty database and fresh limits."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.apps: dict[str, tuple[FastAPI, HibachiSettings]] = {}
        self.stack = AsyncExitStack()

    async def get(self, overrides: dict[str, object]) -> tuple[FastAPI, HibachiSettings]:
        key = repr(sorted(overrides.items()))
        if key not in self.apps:
            settings = make_settings(self.database_url, self.data_dir, **overrides)
            application = create_app(settings, inline_jobs=True)
            await self.stack.enter_async_context(LifespanManager(application))
            self.apps[key] = (application, settings)
        return self.apps[key]


@pytest.fixture(scope="session")
async def app_cache(
    hibachi_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AppCache]:
    cache = AppCache(hibachi_database, tmp_path_factory.mktemp("hibachi-data"))
    async with cache.stack:
        yield cache


@pytest.fixture
async def app(
    app_cache: AppCache, hibachi_database: str, settings_overrides: dict[str, object]
) -> AsyncIterator[FastAPI]:
    application, _settings = await app_cache.get(settings_overrides)
    await application.state.runtime.limiter.reset()
    yield application
    await wipe(hibachi_database, Base.metadata)


@pytest.fixture
def settings(app: FastAPI) -> HibachiSettings:
    return app.state.runtime.settings  # type: ignore[no-any-return]


@pytest.fixture
async def client(app: FastAPI, settings: HibachiSettings) -> AsyncIterator[Client]:
    """A client with the platform bootstrapped: the default station ("main") and a
    super admin (``client.root``)."""
    await commands.ensure_admin(settings, ROOT_EMAIL, ROOT_PASSWORD)
    transport = httpx.ASGITransport(app=app)
    async with Client(transport=transport, base_url="http://testserver") as c:
        await c.sign_in_root()
        yield c

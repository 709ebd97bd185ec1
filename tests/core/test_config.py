from __future__ import annotations

from pathlib import Path

import pytest

from trident.apps.saas.config import SaasSettings
from trident.core.config import ConfigurationError


def test_app_prefixed_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://shared/db")
    monkeypatch.setenv("SAAS_DATABASE_URL", "postgresql+asyncpg://saas/db")
    assert SaasSettings(_env_file=None).database_url == "postgresql+asyncpg://saas/db"
    monkeypatch.delenv("SAAS_DATABASE_URL")
    assert SaasSettings(_env_file=None).database_url == "postgresql+asyncpg://shared/db"


def test_embedded_default_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = SaasSettings(_env_file=None, data_dir=tmp_path)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'saas.db'}"


def test_dev_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = SaasSettings(_env_file=None, data_dir=tmp_path).secret("jwt_secret_key")
    second = SaasSettings(_env_file=None, data_dir=tmp_path).secret("jwt_secret_key")
    assert first == second and len(first) >= 48
    assert (tmp_path / "secrets" / "saas.json").stat().st_mode & 0o077 == 0


def test_production_refuses_weak_or_missing_secrets(tmp_path: Path) -> None:
    settings = SaasSettings(
        _env_file=None,
        environment="production",
        data_dir=tmp_path,
        jwt_secret_key="changethis",
        database_url="postgresql+asyncpg://db/x",
    )
    with pytest.raises(ConfigurationError, match="JWT_SECRET_KEY"):
        settings.check_production()
    with pytest.raises(ConfigurationError):
        settings.secret("api_key_secret")


def test_production_refuses_sqlite(tmp_path: Path) -> None:
    settings = SaasSettings(
        _env_file=None,
        environment="production",
        data_dir=tmp_path,
        jwt_secret_key="j" * 40,
        api_key_secret="a" * 40,
        stripe_secret_key="sk_live_" + "x" * 30,
        stripe_webhook_secret="whsec_" + "y" * 30,
    )
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        settings.check_production()

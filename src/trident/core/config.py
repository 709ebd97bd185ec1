"""Settings shared by every app.

Each app subclasses :class:`CoreSettings` with its own name and defaults.  An
app-prefixed variable (``SAAS_DATABASE_URL``) wins over the plain one
(``DATABASE_URL``) so that one shell can serve all three apps, while a
production deployment of a single app can use the documented plain names.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from trident.core.clock import zone

WEAK_SECRETS = {"", "changethis", "secret", "changeme", "dev", "development", "test"}


class ConfigurationError(RuntimeError):
    """Raised when settings are unsafe for the chosen environment."""


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    #: short name of the app ("saas"); subclasses set it.
    app_name: ClassVar[str] = "app"
    default_port: ClassVar[int] = 8000

    environment: Literal["development", "test", "production"] = "development"
    debug: bool = False
    data_dir: Path = Path("./data")
    #: the external base URL of links the app hands out; unset, links in a response
    #: are built from the request's own origin (core/urls.py), and links in e-mails
    #: sent by background jobs from ``local_url``
    public_url: str = ""
    #: the wall clock "today" is read on (an IANA zone); UTC unless the app says otherwise
    business_timezone: str = "UTC"

    database_url: str = ""
    database_pool_size: int = 10
    redis_url: str = ""

    jwt_secret_key: SecretStr = SecretStr("")
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_expire_minutes: int = 30
    refresh_token_expire_days: int = 14
    #: key for the HMAC that API keys and backup codes are stored under; separate from
    #: the JWT key so rotating one does not invalidate the other
    api_key_secret: SecretStr = SecretStr("")

    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    max_body_bytes: int = 1_048_576

    rate_limit_enabled: bool = True
    rate_limit_anonymous: str = "60/minute"
    rate_limit_authenticated: str = "600/minute"

    stripe_secret_key: SecretStr = SecretStr("")
    stripe_webhook_secret: SecretStr = SecretStr("")
    stripe_api_base: str = ""  # point the official SDK at a test server

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "no-reply@localhost"
    smtp_tls: bool = True
    #: a Twilio-style REST endpoint (form POST of To, From, Body, basic auth)
    sms_api_url: str = ""
    sms_api_user: str = ""
    sms_api_token: SecretStr = SecretStr("")
    sms_from: str = ""

    # Each also answers to the name HWC3D's document uses (S3_BUCKET_NAME, S3_ACCESS_KEY,
    # S3_SECRET_KEY), plain or app-prefixed: the prefixed source applies its prefix to
    # aliases too, and the field's own name stays the first choice.
    s3_bucket: str = Field("", validation_alias=AliasChoices("s3_bucket", "s3_bucket_name"))
    s3_endpoint_url: str = ""
    s3_access_key_id: str = Field(
        "", validation_alias=AliasChoices("s3_access_key_id", "s3_access_key")
    )
    s3_secret_access_key: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("s3_secret_access_key", "s3_secret_key")
    )
    s3_region: str = "auto"
    cdn_url: str = ""
    #: key for the HMAC of the local file storage's download links
    file_signing_secret: SecretStr = SecretStr("")

    admin_email: str = ""
    admin_password: SecretStr = SecretStr("")

    openai_api_key: SecretStr = SecretStr("")
    openai_base_url: str = ""
    openai_model: str = "gpt-4o-mini"
    gemini_api_key: SecretStr = SecretStr("")
    gemini_base_url: str = "https://generativelanguage.googleapis.com/v1beta/openai/"
    gemini_model: str = "gemini-2.0-flash"
    #: seconds before a failed job's first retry (doubling each time; 0 in tests)
    job_retry_backoff: float = 1.0
    #: send periodic jobs on their interval: from `trident worker`, or from the web
    #: process when jobs run in it (no REDIS_URL).  Off in tests, which run them directly.
    periodic_jobs: bool = True
    #: seconds between the local assistant's streamed pieces (0 in tests)
    ai_stream_delay: float = 0.02

    #: the bearer token Prometheus sends to ``/metrics``; without one, ``/metrics``
    #: answers only outside production (bind a separate port in front of it instead)
    metrics_token: SecretStr = SecretStr("")

    log_level: str = "INFO"
    #: ``auto``: human-readable lines on a terminal, JSON lines otherwise
    log_format: Literal["auto", "json", "text"] = "auto"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        prefixed = EnvSettingsSource(
            settings_cls, env_prefix=f"{cls.app_name.upper()}_", env_prefix_target="all"
        )
        return init_settings, prefixed, env_settings, dotenv_settings, file_secret_settings

    @field_validator("business_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)  # refuse a typo at start-up rather than on the first request
        return value

    @model_validator(mode="after")
    def _fill_defaults(self) -> CoreSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / (self.app_name + '.db')}"
        self.public_url = self.public_url.rstrip("/")
        return self

    # -- derived -----------------------------------------------------------------
    @property
    def link_base(self) -> str:
        """The base of links made with no request to take an origin from (e-mails of
        background jobs): ``PUBLIC_URL``, else this machine's default address."""
        return self.public_url or f"http://localhost:{self.default_port}"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def payments_provider(self) -> str:
        return "stripe" if self.stripe_secret_key.get_secret_value() else "local"

    def secret(self, name: str) -> str:
        """The value of a secret setting, generated once and kept under ``data_dir`` in dev.

        Production refuses to start without a real value (see :meth:`check_production`).
        """
        value: SecretStr = getattr(self, name)
        raw = value.get_secret_value()
        if raw:
            return raw
        if self.is_production:
            raise ConfigurationError(f"{name.upper()} must be set when ENVIRONMENT=production")
        return _dev_secret(self.data_dir, self.app_name, name)

    def check_production(self) -> None:
        """Refuse to run production with development secrets."""
        if not self.is_production:
            return
        for name in self.required_secrets():
            raw = getattr(self, name).get_secret_value()
            if raw.lower() in WEAK_SECRETS or len(raw) < 32:
                raise ConfigurationError(
                    f"{name.upper()} must be a random value of at least 32 characters in production"
                )
        if self.is_sqlite:
            raise ConfigurationError("DATABASE_URL must point at PostgreSQL in production")

    def required_secrets(self) -> list[str]:
        return ["jwt_secret_key", "api_key_secret"]


def _dev_secret(data_dir: Path, app_name: str, name: str) -> str:
    """Generate a secret once per data directory so restarts keep sessions valid."""
    path = data_dir / "secrets" / f"{app_name}.json"
    stored: dict[str, Any] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    if name not in stored:
        path.parent.mkdir(parents=True, exist_ok=True)
        stored[name] = secrets.token_urlsafe(48)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored))
        tmp.chmod(0o600)
        tmp.replace(path)
    return str(stored[name])

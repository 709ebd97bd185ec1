"""The hibachi app's runtime: the core runtime plus tokens, field encryption,
notifications, the audit trail and the error log."""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.db import KEYRING
from trident.apps.hibachi.models import (
    AuditLog,
    AuthSession,
    ErrorLog,
    FailedJob,
    OutboxMessage,
    RefreshToken,
)
from trident.core.audit import AuditRecord, current_audit, start_audit
from trident.core.auth.tokens import TokenService
from trident.core.errors import ErrorInfo, request_id_of
from trident.core.jobs import JobRegistry
from trident.core.notify import Notifier
from trident.core.observability.middleware import route_template
from trident.core.ratelimit import client_ip
from trident.core.runtime import Runtime
from trident.core.security.fields import FieldCipher, install_field_cipher
from trident.core.security.tokens import TokenCodec

log = logging.getLogger("trident.hibachi")

jobs = JobRegistry("hibachi")
DELIVER_MESSAGE_JOB = "hibachi.deliver_message"


class HibachiRuntime(Runtime):
    settings: HibachiSettings
    failed_job_model = FailedJob

    def __init__(self, settings: HibachiSettings, *, inline_jobs: bool = False) -> None:
        super().__init__(settings, jobs, inline_jobs=inline_jobs)
        self.tokens = TokenService(
            TokenCodec(settings.secret("jwt_secret_key"), settings.jwt_algorithm, issuer="hibachi"),
            AuthSession,
            RefreshToken,
            access_ttl=timedelta(minutes=settings.access_token_expire_minutes),
            refresh_ttl=timedelta(days=settings.refresh_token_expire_days),
        )
        self.api_key_secret = settings.secret("api_key_secret")
        old_keys = [
            k.strip()
            for k in settings.field_encryption_old_keys.get_secret_value().split(",")
            if k.strip()
        ]
        self.cipher = FieldCipher(
            [settings.secret("field_encryption_key"), *old_keys],
            index_key=settings.secret("field_index_key"),
        )
        install_field_cipher(KEYRING, self.cipher)
        self.notifier = Notifier(settings, OutboxMessage, job_name=DELIVER_MESSAGE_JOB)
        self.counters: dict[str, Any] = {
            "bookings": self.metrics.counter(
                "hibachi_bookings_created_total", "Bookings created.", ["source"]
            ),
            "leads": self.metrics.counter(
                "hibachi_leads_created_total", "Leads created.", ["source"]
            ),
        }

    def on_write_session(self, session: AsyncSession, request: Request) -> None:
        template = route_template(request.scope)
        start_audit(
            session,
            AuditRecord(
                model=AuditLog,
                method=request.method,
                path=request.url.path,
                action=f"{request.method} {template}",
                ip_address=client_ip(request.scope),
                user_agent=request.headers.get("user-agent"),
                request_id=request_id_of(request),
            ),
        )

    async def record_unhandled(self, request: Request, exc: BaseException, info: ErrorInfo) -> None:
        """The error hook: an unhandled error becomes a row admins can see and resolve."""
        station_id = getattr(request.state, "station_id", None)
        user_id = getattr(request.state, "user_id", None)
        async with self.unit_of_work() as db:
            db.add(
                ErrorLog(
                    station_id=station_id,
                    request_id=info.request_id,
                    method=request.method,
                    path=request.url.path[:500],
                    status_code=info.status_code,
                    level="error",
                    error_type=f"{type(exc).__module__}.{type(exc).__qualname__}"[:200],
                    message=str(exc)[:4000] or type(exc).__name__,
                    traceback="".join(traceback.format_exception(exc))[-20000:],
                    user_id=user_id,
                    ip_address=client_ip(request.scope),
                    user_agent=(request.headers.get("user-agent") or "")[:255] or None,
                )
            )


def hibachi_runtime(request: Request) -> HibachiRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def identify_caller(
    session: AsyncSession,
    actor_type: str,
    actor_id: int | None,
    actor_email: str | None,
    station_id: int | None,
) -> None:
    """Name who is calling in this request's audit record (writes only)."""
    record = current_audit(session)
    if record is not None:
        record.identify(actor_type, actor_id, actor_email, station_id)

"""Email and SMS through an outbox: every message is a row first, then (maybe) a send.

The embedded default has no transport: the outbox row *is* the delivery (status
``sent``, provider ``outbox``), logged and readable through the app's API, so the
whole product works offline.  With ``SMTP_HOST`` (email) or ``SMS_API_URL`` (SMS)
set, the row starts ``queued`` and a job sends it after the request commits.

Delivery is at least once: the job sends, then marks the row ``sent`` with a
conditional update in a short transaction of its own (a network call never holds a
database lock).  A crash between the two may send twice; the email's Message-ID is
derived from the row, so receiving servers can recognise the repeat.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

import httpx
from sqlalchemy import Index, Integer, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trident.core.clock import utcnow
from trident.core.config import CoreSettings
from trident.core.db.base import UTCDateTime
from trident.core.jobs import queue_job

log = logging.getLogger("trident.notify")

EMAIL = "email"
SMS = "sms"


class DeliveryError(Exception):
    """The transport refused or failed; the job retries, then records the failure."""


class OutboxMessageMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    channel: Mapped[str] = mapped_column(String(8), nullable=False)
    to_address: Mapped[str] = mapped_column(String(320), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(300), nullable=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    html: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: what the message belongs to, e.g. ``campaign_delivery:12``
    reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # queued | sent | failed
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __audit__ = False

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_tenant_id_created_at", "tenant_id", "created_at"),
            Index(f"ix_{name}_reference", "reference"),
        )


class Transport(Protocol):
    name: str

    async def send(self, message: Any) -> None: ...


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: CoreSettings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.user = settings.smtp_user or None
        self.password = settings.smtp_password.get_secret_value() or None
        self.sender = settings.smtp_from
        self.tls = settings.smtp_tls
        self.domain = settings.link_base.split("://", 1)[-1].split("/", 1)[0].split(":")[0]

    async def send(self, message: Any) -> None:
        import aiosmtplib

        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to_address
        email["Subject"] = message.subject or ""
        email["Message-ID"] = f"<outbox-{message.id}@{self.domain or 'localhost'}>"
        email.set_content(message.body)
        if message.html:
            email.add_alternative(message.html, subtype="html")
        try:
            await aiosmtplib.send(
                email,
                hostname=self.host,
                port=self.port,
                username=self.user,
                password=self.password,
                start_tls=self.tls,
                timeout=30,
            )
        except aiosmtplib.SMTPException as exc:
            raise DeliveryError(f"SMTP: {exc}") from exc


class HttpSmsTransport:
    """A Twilio-style REST endpoint: form POST of To, From, Body with basic auth."""

    name = "http"

    def __init__(self, settings: CoreSettings) -> None:
        self.url = settings.sms_api_url
        self.auth = (settings.sms_api_user, settings.sms_api_token.get_secret_value())
        self.sender = settings.sms_from

    async def send(self, message: Any) -> None:
        data = {"To": message.to_address, "From": self.sender, "Body": message.body}
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                response = await client.post(self.url, data=data, auth=self.auth)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS provider unreachable: {exc}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"SMS provider answered {response.status_code}")


class Notifier:
    """Writes messages to the app's outbox model and delivers them."""

    def __init__(
        self, settings: CoreSettings, model: type[Any], *, job_name: str, max_attempts: int = 4
    ) -> None:
        self.model = model
        self.job_name = job_name
        #: tries before a message is marked failed (the delivery job's retries + 1)
        self.max_attempts = max_attempts
        self.transports: dict[str, Transport | None] = {
            EMAIL: SmtpTransport(settings) if settings.smtp_host else None,
            SMS: HttpSmsTransport(settings) if settings.sms_api_url else None,
        }

    def provider(self, channel: str) -> str:
        transport = self.transports.get(channel)
        return transport.name if transport is not None else "outbox"

    async def enqueue(
        self,
        db: AsyncSession,
        *,
        channel: str,
        to: str,
        body: str,
        subject: str | None = None,
        html: str | None = None,
        tenant_id: int | None = None,
        reference: str | None = None,
    ) -> Any:
        """Record a message; it is sent after the caller's transaction commits."""
        transport = self.transports.get(channel)
        message = self.model(
            channel=channel,
            to_address=to,
            subject=subject,
            body=body,
            html=html,
            tenant_id=tenant_id,
            reference=reference,
            status="queued" if transport is not None else "sent",
            provider=self.provider(channel),
            sent_at=None if transport is not None else utcnow(),
        )
        db.add(message)
        await db.flush()
        if transport is not None:
            queue_job(db, self.job_name, message_id=message.id)
        else:
            log.info("%s to %s kept in the outbox", channel, to, extra={"outbox_id": message.id})
        return message

    async def deliver(self, runtime: Any, message_id: int) -> None:
        """Send one queued message (the job's body)."""
        async with runtime.unit_of_work(write=False) as db:
            message = await db.scalar(select(self.model).where(self.model.id == message_id))
        if message is None or message.status != "queued":
            return  # already sent by an earlier delivery of this job
        transport = self.transports.get(message.channel)
        if transport is None:
            return
        try:
            await transport.send(message)
        except DeliveryError as exc:
            attempts = message.attempts + 1
            async with runtime.unit_of_work() as db:
                await db.execute(
                    update(self.model)
                    .where(self.model.id == message_id, self.model.status == "queued")
                    .values(
                        attempts=attempts,
                        error=str(exc)[:2000],
                        status="failed" if attempts >= self.max_attempts else "queued",
                    )
                )
            raise
        async with runtime.unit_of_work() as db:
            await db.execute(
                update(self.model)
                .where(self.model.id == message_id, self.model.status == "queued")
                .values(status="sent", sent_at=utcnow(), error=None, attempts=message.attempts + 1)
            )

"""Email and SMS through the outbox: kept offline by default, sent through SMTP and an
HTTP SMS provider when configured (real clients against local fake servers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import select

from tests.fakes.server import serving
from tests.fakes.smtp import FakeSmtp, fake_smtp
from trident.apps.hibachi.models import OutboxMessage


async def _send(app: FastAPI, channel: str, to: str) -> OutboxMessage:
    rt = app.state.runtime
    async with rt.unit_of_work() as db:
        message = await rt.notifier.enqueue(
            db,
            channel=channel,
            to=to,
            subject="Booking confirmed",
            body="See you soon",
            tenant_id=1,
        )
        message_id = message.id
    async with rt.unit_of_work(write=False) as db:
        stored = await db.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
    assert stored is not None
    return stored


async def test_without_a_transport_the_outbox_is_the_delivery(app: FastAPI) -> None:
    message = await _send(app, "email", "guest@example.com")
    assert (message.status, message.provider) == ("sent", "outbox")
    assert message.sent_at is not None


@pytest.fixture
async def smtp() -> AsyncIterator[FakeSmtp]:
    async with fake_smtp() as server:
        yield server


class TestSmtp:
    @pytest.fixture
    def settings_overrides(self, smtp: FakeSmtp) -> dict[str, object]:
        return {
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_tls": False,
            "smtp_from": "bookings@myhibachi.example",
        }

    async def test_a_message_goes_out_through_smtp(self, app: FastAPI, smtp: FakeSmtp) -> None:
        message = await _send(app, "email", "guest@example.com")
        assert (message.status, message.provider, message.attempts) == ("sent", "smtp", 1)
        assert smtp.envelopes == [("bookings@myhibachi.example", ["guest@example.com"])]
        sent = smtp.messages[0]
        assert sent["Subject"] == "Booking confirmed"
        assert sent["Message-ID"] == f"<outbox-{message.id}@testserver>"

    async def test_a_refused_message_is_failed_after_its_last_try(
        self, app: FastAPI, smtp: FakeSmtp
    ) -> None:
        smtp.refuse = True
        message = await _send(app, "email", "nobody@example.com")
        assert (message.status, message.attempts) == ("failed", 4)
        assert "SMTP" in (message.error or "")


class TestSms:
    @pytest.fixture
    async def sms_provider(self) -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
        received: list[dict[str, Any]] = []
        provider = FastAPI()

        @provider.post("/Messages.json")
        async def create(request: Request) -> dict[str, str]:
            form = await request.form()
            received.append({**form, "auth": request.headers.get("authorization")})
            return {"sid": "SM123", "status": "queued"}

        async with serving(provider) as url:
            yield url, received

    @pytest.fixture
    def settings_overrides(
        self, sms_provider: tuple[str, list[dict[str, Any]]]
    ) -> dict[str, object]:
        url, _ = sms_provider
        return {
            "sms_api_url": f"{url}/Messages.json",
            "sms_api_user": "AC123",
            "sms_api_token": "secret-token",
            "sms_from": "+14085550000",
        }

    async def test_an_sms_goes_out_through_the_provider(
        self, app: FastAPI, sms_provider: tuple[str, list[dict[str, Any]]]
    ) -> None:
        message = await _send(app, "sms", "+14085551234")
        _, received = sms_provider
        assert (message.status, message.provider) == ("sent", "http")
        assert received[0]["To"] == "+14085551234"
        assert received[0]["From"] == "+14085550000"
        assert received[0]["Body"] == "See you soon"
        assert received[0]["auth"].startswith("Basic ")

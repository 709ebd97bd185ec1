"""Newsletter shapes: subscriptions, campaigns, deliveries and their statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from trident.core.dates import Instant
from trident.core.text import DisplayText, PhoneNumber

Channel = Literal["email", "sms"]
CampaignStatus = Literal["draft", "scheduled", "sending", "sent"]
SubscriberStatus = Literal["subscribed", "unsubscribed"]
DeliveryStatus = Literal["queued", "sent", "failed", "skipped"]
#: a token from an email link (``secrets.token_urlsafe``)
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
SOURCE_PATTERN = r"^[a-z0-9_:-]+$"
#: an SMS longer than ten segments is a mistake, not a campaign
SMS_MAX_LENGTH = 1600
CONTENT_MAX_LENGTH = 200_000


# -- subscriptions --------------------------------------------------------------


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    name: DisplayText | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=32, pattern=SOURCE_PATTERN)

    @model_validator(mode="after")
    def _an_address(self) -> SubscribeRequest:
        if not (self.email or self.phone):
            raise ValueError("give an email or a phone number")
        return self


class SubscribeResponse(BaseModel):
    success: bool = True
    subscribed: bool = True
    message: str
    subscriber_id: int


class UnsubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    token: str | None = Field(
        default=None, pattern=TOKEN_PATTERN, description="The token of an unsubscribe link"
    )

    @model_validator(mode="after")
    def _an_address(self) -> UnsubscribeRequest:
        if not (self.email or self.phone or self.token):
            raise ValueError("give an email, a phone number or an unsubscribe token")
        return self


class UnsubscribeResponse(BaseModel):
    success: bool = True
    subscribed: bool = False
    message: str


class SubscriberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str | None
    phone: str | None
    name: str | None
    status: SubscriberStatus
    subscribed: bool
    source: str
    subscribed_at: datetime | None
    unsubscribed_at: datetime | None
    created_at: datetime


# -- campaigns ------------------------------------------------------------------


class AudienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str | None = Field(
        default=None,
        max_length=32,
        pattern=SOURCE_PATTERN,
        description="Only subscribers who came from this source",
    )


class CampaignFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText | None = Field(default=None, min_length=1, max_length=200)
    subject: DisplayText | None = Field(default=None, min_length=1, max_length=300)
    content: str | None = Field(
        default=None,
        min_length=1,
        max_length=CONTENT_MAX_LENGTH,
        description="HTML or plain text; links are tracked when sent by email",
    )
    channel: Channel | None = None
    audience: AudienceIn | None = None
    scheduled_at: Instant | None = None


def check_campaign(channel: str, subject: str | None, content: str) -> dict[str, str]:
    """What is wrong with a campaign as a whole (empty when it may be saved)."""
    problems = {}
    if channel == "email" and not subject:
        problems["subject"] = "an email campaign needs a subject"
    if channel == "sms" and len(content) > SMS_MAX_LENGTH:
        problems["content"] = f"an SMS campaign has at most {SMS_MAX_LENGTH} characters"
    return problems


class CampaignCreate(CampaignFields):
    name: DisplayText = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=CONTENT_MAX_LENGTH)
    channel: Channel = "email"


class CampaignUpdate(CampaignFields):
    """A draft's changes: any of the fields, each optional."""


class CampaignOut(BaseModel):
    id: int
    name: str
    subject: str | None
    content: str
    channel: Channel
    status: CampaignStatus
    audience: dict[str, Any]
    scheduled_at: datetime | None
    sent_at: datetime | None
    recipients: int
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


class SendResponse(BaseModel):
    success: bool = True
    campaign_id: int
    status: Literal["scheduled", "sending", "sent"]
    recipients: int
    message: str


class CampaignStats(BaseModel):
    campaign_id: int
    status: CampaignStatus
    recipients: int
    sent: int
    failed: int
    queued: int
    skipped: int
    opened: int
    clicked: int
    total_clicks: int
    open_rate: float = Field(description="Opened / sent, 0..1")
    click_rate: float = Field(description="Clicked / sent, 0..1")


class DeliveryOut(BaseModel):
    id: int
    subscriber_id: int | None
    channel: Channel
    to: str
    status: DeliveryStatus
    error: str | None
    outbox_message_id: int | None
    sent_at: datetime | None
    opened_at: datetime | None
    clicked_at: datetime | None
    click_count: int

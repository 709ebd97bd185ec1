from __future__ import annotations

from datetime import datetime

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

from trident.apps.saas.billing.plans import PlanType
from trident.core.money import Money


class PlanLimitsOut(BaseModel):
    max_members: int
    max_api_keys: int
    ai_requests_per_month: int
    ai_tokens_per_month: int


class PlanOut(BaseModel):
    plan_type: PlanType
    name: str
    description: str
    price: Money = Field(description="Price per interval in major units (29.0)")
    amount_cents: int
    currency: str
    interval: str
    features: list[str]
    limits: PlanLimitsOut


class SubscriptionOut(BaseModel):
    org_id: int
    plan_type: PlanType = Field(description="The plan in force (FREE once a subscription ends)")
    plan: PlanOut
    status: str
    provider: str | None
    provider_subscription_id: str | None
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool


class CheckoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_type: PlanType
    success_url: AnyHttpUrl
    cancel_url: AnyHttpUrl

    @field_validator("plan_type", mode="before")
    @classmethod
    def upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class CheckoutOut(BaseModel):
    checkout_url: str = Field(description="Send the browser here to pay")
    url: str = Field(description="Same as checkout_url (Stripe's field name)")
    session_id: str
    plan_type: PlanType
    provider: str = Field(description="Which payment provider answered: local or stripe")


class PortalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_url: AnyHttpUrl


class PortalOut(BaseModel):
    portal_url: str
    url: str
    provider: str


class WebhookOut(BaseModel):
    received: bool
    event_id: str
    type: str
    duplicate: bool
    outcome: str = Field(description="processed, ignored, stale or duplicate")

"""The plan catalogue: what each plan costs and what it allows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from trident.core.errors import Forbidden


class PlanType(StrEnum):
    FREE = "FREE"
    PRO = "PRO"
    TEAM = "TEAM"


@dataclass(frozen=True, slots=True)
class PlanLimits:
    max_members: int
    max_api_keys: int
    ai_requests_per_month: int
    ai_tokens_per_month: int


@dataclass(frozen=True, slots=True)
class Plan:
    type: PlanType
    name: str
    description: str
    amount_cents: int
    currency: str
    interval: str
    rank: int
    limits: PlanLimits
    features: tuple[str, ...]

    @property
    def price(self) -> Decimal:
        return Decimal(self.amount_cents) / 100


PLANS: dict[PlanType, Plan] = {
    PlanType.FREE: Plan(
        PlanType.FREE,
        "Free",
        "For trying things out.",
        0,
        "usd",
        "month",
        0,
        PlanLimits(
            max_members=3, max_api_keys=2, ai_requests_per_month=100, ai_tokens_per_month=50_000
        ),
        ("free-feature", "ai-chat"),
    ),
    PlanType.PRO: Plan(
        PlanType.PRO,
        "Pro",
        "For growing teams that need analytics.",
        2900,
        "usd",
        "month",
        1,
        PlanLimits(
            max_members=10,
            max_api_keys=10,
            ai_requests_per_month=2_000,
            ai_tokens_per_month=1_000_000,
        ),
        ("free-feature", "ai-chat", "analytics"),
    ),
    PlanType.TEAM: Plan(
        PlanType.TEAM,
        "Team",
        "For organizations that ship under their own brand.",
        9900,
        "usd",
        "month",
        2,
        PlanLimits(
            max_members=50,
            max_api_keys=50,
            ai_requests_per_month=10_000,
            ai_tokens_per_month=5_000_000,
        ),
        ("free-feature", "ai-chat", "analytics", "white-label"),
    ),
}

#: subscription statuses that still grant the paid plan (past_due: a grace period
#: while the provider retries the card)
ENTITLED_STATUSES = frozenset({"active", "trialing", "past_due"})


def effective_plan(plan: str, status: str) -> Plan:
    try:
        chosen = PLANS[PlanType(plan)]
    except ValueError:
        chosen = PLANS[PlanType.FREE]
    return chosen if status in ENTITLED_STATUSES else PLANS[PlanType.FREE]


def require_feature(current: Plan, feature: str) -> None:
    """403 naming the cheapest plan that has ``feature``."""
    if feature in current.features:
        return
    needed = min(
        (p for p in PLANS.values() if feature in p.features), key=lambda p: p.rank, default=None
    )
    needed_name = needed.name if needed else "a higher"
    raise Forbidden(
        f"{feature} requires the {needed_name} plan or higher; this organization is on "
        f"{current.name}.",
        code="plan_upgrade_required",
        details={
            "feature": feature,
            "current_plan": current.type.value,
            "required_plan": needed.type.value if needed else None,
        },
    )


def plan_for_key(key: str) -> Plan | None:
    try:
        return PLANS[PlanType(key.upper())]
    except ValueError:
        return None

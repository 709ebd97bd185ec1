"""Operator commands of the saas app: ensure the administrator, load demo data."""

from __future__ import annotations

import random
from datetime import timedelta

from rich.progress import Progress
from sqlalchemy import select

from trident.apps.saas.config import SaasSettings
from trident.apps.saas.models import (
    AiUsageEvent,
    ApiKey,
    Membership,
    Org,
    Subscription,
    User,
)
from trident.apps.saas.runtime import SaasRuntime
from trident.core.clock import utcnow
from trident.core.security.apikeys import derived_api_key, display_prefix, hash_token
from trident.core.security.passwords import hash_password

DEMO_PASSWORD = "DemoPass123!"
DEMO_USERS = [
    ("owner@demo.trident.dev", "Olivia Owner", "owner"),
    ("admin@demo.trident.dev", "Adam Admin", "admin"),
    ("member@demo.trident.dev", "Mia Member", "member"),
]


async def ensure_admin(settings: SaasSettings, email: str, password: str) -> str:
    """Create the top administrator (a superuser), or promote an existing account."""
    runtime = SaasRuntime(settings)
    try:
        async with runtime.unit_of_work() as db:
            email = email.strip().lower()
            user = await db.scalar(select(User).where(User.email == email))
            if user is None:
                db.add(
                    User(
                        email=email,
                        hashed_password=await hash_password(password),
                        full_name="Administrator",
                        is_superuser=True,
                    )
                )
                return f"created administrator {email}"
            user.is_superuser = True
            user.is_active = True
            return f"{email} is an administrator"
    finally:
        await runtime.db.dispose()


def demo_api_key(settings: SaasSettings, runtime: SaasRuntime) -> str:
    return derived_api_key(settings.api_key_prefix, runtime.api_key_secret, "saas-demo")


def demo_accounts(settings: SaasSettings, runtime: SaasRuntime) -> list[str]:
    """What a developer signs in with; printed by every ``make serve``."""
    return [
        f"demo users (password {DEMO_PASSWORD}): "
        + ", ".join(f"{e} ({r})" for e, _n, r in DEMO_USERS),
        "demo org: Demo Company (slug demo-company, plan PRO)",
        f"demo API key for X-API-Key: {demo_api_key(settings, runtime)}",
    ]


async def seed(settings: SaasSettings) -> list[str]:
    """Demo users, an org on Pro with an API key, and a month of AI usage. Runs once."""
    runtime = SaasRuntime(settings)
    lines: list[str] = []
    try:
        async with runtime.unit_of_work() as db:
            if await db.scalar(select(User.id).where(User.email == DEMO_USERS[0][0])):
                return ["demo data already present", *demo_accounts(settings, runtime)]
            with Progress() as progress:
                task = progress.add_task("seeding saas", total=4)
                hashed = await hash_password(DEMO_PASSWORD)
                users = [
                    User(email=e, hashed_password=hashed, full_name=n) for e, n, _ in DEMO_USERS
                ]
                db.add_all(users)
                await db.flush()
                progress.advance(task)

                org = Org(name="Demo Company", slug="demo-company", created_by_id=users[0].id)
                db.add(org)
                await db.flush()
                db.add_all(
                    Membership(org_id=org.id, user_id=u.id, role=role)
                    for u, (_e, _n, role) in zip(users, DEMO_USERS, strict=True)
                )
                db.add(Subscription(org_id=org.id, plan="PRO", status="active", provider="seed"))
                progress.advance(task)

                token = demo_api_key(settings, runtime)
                db.add(
                    ApiKey(
                        org_id=org.id,
                        created_by_id=users[0].id,
                        name="Demo key",
                        prefix=display_prefix(token),
                        key_hash=hash_token(runtime.api_key_secret, token),
                    )
                )
                progress.advance(task)

                rng = random.Random(7)  # noqa: S311  (same demo data on every machine)
                now = utcnow()
                for day in range(30):
                    for _ in range(rng.randint(2, 12)):
                        prompt, completion = rng.randint(20, 400), rng.randint(20, 600)
                        db.add(
                            AiUsageEvent(
                                org_id=org.id,
                                user_id=rng.choice(users).id,
                                model="trident-local",
                                provider="local",
                                status="completed",
                                prompt_tokens=prompt,
                                completion_tokens=completion,
                                total_tokens=prompt + completion,
                                created_at=now - timedelta(days=day, minutes=rng.randint(0, 600)),
                            )
                        )
                progress.advance(task)
            lines += demo_accounts(settings, runtime)
    finally:
        await runtime.db.dispose()
    return lines

"""The saas app at scale: a bulk loader and the scenarios a client really runs.

At scale ``N`` the main tables (users, memberships, API keys, AI usage events) hold
``N`` rows each, and there are ``N / 10`` orgs.  What a scenario reads stays the same
size at every scale (one org of 1,000 members and 1,000 keys, a month of 3,000 usage
events), so the 1M/10k ratio shows what the *table* size costs: an index that is
missing, a count or a sort that reads the whole table.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.bulk import Rows, insert_all
from bench.scenario import Scenario
from trident.apps.saas.db import Base

APP = "saas"
PASSWORD = "Bench-password-1"
READER = "reader@bench.example.com"
WRITER = "writer@bench.example.com"
BIG_ORG_MEMBERS = 1_000
BIG_ORG_KEYS = 1_000
MONTH_EVENTS = 3_000
#: orgs the writer owns; creates and chats rotate over them so no plan limit is met
WRITER_ORGS = 1_000

NOW = datetime.now(UTC).replace(microsecond=0)


async def load(conn: AsyncConnection, rows: int, progress: Callable[[str, int], None]) -> None:
    """Fill an empty, migrated saas database with ``rows`` rows per main table.

    Core ``INSERT`` with many parameter sets per statement (not the ORM row by row);
    ids are assigned here so the foreign keys are known without reading them back.
    """
    # argon2 is the point of a password hash: hash once, give every user the same one
    hashed = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1).hash(PASSWORD)
    rng = random.Random(20261123)
    orgs = max(rows // 10, 10)
    big_org, first_writer_org = 1, 2
    writer_orgs = range(first_writer_org, first_writer_org + WRITER_ORGS)
    other_orgs = orgs  # ids after the writer orgs
    first_other = first_writer_org + WRITER_ORGS

    def org_rows() -> Iterator[dict[str, Any]]:
        for org_id in range(1, first_other + other_orgs):
            yield {
                "id": org_id,
                "name": f"Bench org {org_id}",
                "slug": f"bench-org-{org_id}",
                "created_at": NOW - timedelta(days=400),
                "updated_at": NOW - timedelta(days=400),
            }

    def subscription_rows() -> Iterator[dict[str, Any]]:
        for org_id in range(1, first_other + other_orgs):
            paid = org_id < first_other
            yield {
                "id": org_id,
                "org_id": org_id,
                "plan": "TEAM" if paid else "FREE",
                "status": "active",
                "created_at": NOW - timedelta(days=400),
                "updated_at": NOW - timedelta(days=400),
            }

    def user_rows() -> Iterator[dict[str, Any]]:
        for user_id in range(1, rows + 1):
            email = {1: READER, 2: WRITER}.get(user_id, f"user{user_id}@bench.example.com")
            yield {
                "id": user_id,
                "email": email,
                "hashed_password": hashed,
                "full_name": f"Bench user {user_id}",
                "is_active": True,
                "is_superuser": False,
                "created_at": NOW - timedelta(days=400),
                "updated_at": NOW - timedelta(days=400),
            }

    def membership_rows() -> Iterator[dict[str, Any]]:
        next_id = 1
        for org_id in writer_orgs:  # the writer owns every writer org
            yield {"id": next_id, "org_id": org_id, "user_id": 2, "role": "owner",
                   "created_at": NOW}  # fmt: skip
            next_id += 1
        for user_id in range(1, rows + 1):
            if next_id > rows:
                return
            if user_id <= BIG_ORG_MEMBERS:
                org_id, role = big_org, "owner" if user_id == 1 else "member"
            else:
                org_id, role = first_other + user_id % other_orgs, "member"
            yield {"id": next_id, "org_id": org_id, "user_id": user_id, "role": role,
                   "created_at": NOW - timedelta(minutes=user_id)}  # fmt: skip
            next_id += 1

    def key_rows() -> Iterator[dict[str, Any]]:
        for key_id in range(1, rows + 1):
            org_id = big_org if key_id <= BIG_ORG_KEYS else first_other + key_id % other_orgs
            yield {
                "id": key_id,
                "org_id": org_id,
                "created_by_id": 1,
                "name": f"key {key_id}",
                "prefix": f"sk_bench_{key_id % 1000:03d}",
                "key_hash": hashlib.sha256(f"bench-key-{key_id}".encode()).hexdigest(),
                "created_at": NOW - timedelta(minutes=key_id),
            }

    def usage_rows() -> Iterator[dict[str, Any]]:
        for event_id in range(1, rows + 1):
            if event_id <= MONTH_EVENTS:  # the big org's month
                org_id, age = big_org, timedelta(seconds=rng.randrange(0, 29 * 86_400))
            else:  # everyone else, over the past year
                org_id = first_other + event_id % other_orgs
                age = timedelta(seconds=rng.randrange(0, 365 * 86_400))
            prompt, completion = rng.randrange(10, 400), rng.randrange(10, 800)
            yield {
                "id": event_id,
                "org_id": org_id,
                "user_id": 1,
                "model": "trident-local",
                "provider": "local",
                "status": "completed",
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
                "created_at": NOW - age,
            }

    steps: list[tuple[str, Rows]] = [
        ("orgs", org_rows()),
        ("subscriptions", subscription_rows()),
        ("users", user_rows()),
        ("memberships", membership_rows()),
        ("api_keys", key_rows()),
        ("ai_usage_events", usage_rows()),
    ]
    await insert_all(conn, Base.metadata, steps, progress)


def total_rows(rows: int) -> int:
    """How many rows ``load`` writes (for the progress bar)."""
    orgs = 1 + WRITER_ORGS + max(rows // 10, 10)
    return 2 * orgs + 4 * rows


def scenarios(big_org: int = 1, first_writer_org: int = 2) -> list[Scenario]:
    month_start = (NOW - timedelta(days=29)).date().isoformat()
    today = NOW.date().isoformat()
    writer_orgs = [str(o) for o in range(first_writer_org, first_writer_org + WRITER_ORGS)]
    return [
        Scenario("users/me", "GET", "/api/v1/users/me", user=READER),
        Scenario(
            "list members (20 of a 1,000-member org)",
            "GET",
            f"/api/v1/orgs/{big_org}/members?limit=20",
            user=READER,
            tenant=str(big_org),
            list_of_large_table=True,
        ),
        Scenario(
            "list API keys (20)",
            "GET",
            "/api/v1/apikeys?limit=20",
            user=READER,
            tenant=str(big_org),
        ),
        Scenario(
            "AI usage over a month",
            "GET",
            f"/api/v1/ai/usage?start={month_start}&end={today}",
            user=READER,
            tenant=str(big_org),
        ),
        Scenario(
            "create API key",
            "POST",
            "/api/v1/apikeys",
            user=WRITER,
            rotate_tenants=writer_orgs,
            body='{"name":"bench"}',
            write=True,
        ),
        Scenario(
            "AI chat (local model)",
            "POST",
            "/api/v1/ai/chat",
            user=WRITER,
            rotate_tenants=writer_orgs,
            body='{"message":"What plan are we on?"}',
            write=True,
        ),
    ]


#: what the app's server needs besides its database (none for saas)
ENV: dict[str, str] = {}


def login_scenario(email: str = READER) -> Scenario:
    """Signing in: the measured scenario, and how the harness gets each user's token."""
    return Scenario(
        "login (argon2id m=19 MiB t=2 p=1)",
        "POST",
        "/api/v1/auth/login",
        body=f"username={email}&password={PASSWORD}",
        content_type="application/x-www-form-urlencoded",
    )

"""Operating the app: the super admin command, the demo data, periodic jobs."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.hibachi.conftest import make_settings
from tests.hibachi.helpers import Client
from trident.apps.hibachi import commands
from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.runtime import HibachiRuntime


async def test_ensure_admin_creates_a_super_admin_once(
    client: Client, settings: HibachiSettings
) -> None:
    first = await commands.ensure_admin(settings, "Boss@Example.com", "BossPass123!")
    second = await commands.ensure_admin(settings, "boss@example.com", "BossPass123!")
    assert (first, second) == (
        "created super admin boss@example.com",
        "boss@example.com is a super admin",
    )
    signed_in = await client.sign_in("boss@example.com", "BossPass123!")
    assert signed_in.role == "super_admin"


async def test_seed_runs_once_and_its_users_sign_in(
    client: Client, settings: HibachiSettings
) -> None:
    first = await commands.seed(settings)
    second = await commands.seed(settings)
    assert any("MyHibachi Bay Area" in line or "code main" in line for line in first)
    # the second run changes nothing, and still says how to sign in
    assert second == ["demo data already present", commands.DEMO_ACCOUNTS]
    staff = await client.sign_in("staff@demo.myhibachi.dev", commands.DEMO_PASSWORD)
    bookings = await client.get("/api/v1/bookings", headers=staff.headers())
    leads = await client.get("/api/leads", headers=staff.headers())
    reviews = await client.get("/api/reviews")
    assert bookings.json()["total"] > 20
    assert leads.json()["total"] == 25
    assert reviews.json()["total"] > 0


PERIODIC = ["hibachi.rescore_leads", "hibachi.send_scheduled_campaigns"]


async def _first_tick(runtime: HibachiRuntime) -> None:
    for _ in range(500):  # the first tick runs as soon as the loop is free
        if len(runtime.ticker.last_sent) == len(PERIODIC):
            return
        await asyncio.sleep(0.01)


async def test_without_a_queue_server_the_app_ticks_its_periodic_jobs_itself(
    hibachi_database: str, tmp_path: Path
) -> None:
    settings = make_settings(hibachi_database, tmp_path, periodic_jobs=True)
    runtime = HibachiRuntime(settings, inline_jobs=True)
    await runtime.startup()
    try:
        await _first_tick(runtime)
    finally:
        await runtime.shutdown()
    assert (sorted(runtime.ticker.last_sent), runtime.ticker.running) == (PERIODIC, False)


async def test_each_worker_process_ticks_the_periodic_jobs(
    hibachi_database: str, tmp_path: Path
) -> None:
    settings = make_settings(hibachi_database, tmp_path, periodic_jobs=True)
    runtime = HibachiRuntime(settings, inline_jobs=True)
    broker = runtime.worker_broker()
    broker.is_worker_process = True  # what `trident worker` sets before startup
    await broker.startup()
    try:
        await _first_tick(runtime)
        ticking = runtime.ticker.running
    finally:
        await broker.shutdown()
    assert (sorted(runtime.ticker.last_sent), ticking) == (PERIODIC, True)
    assert runtime.ticker.running is False

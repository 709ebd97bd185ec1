"""``make soak``: drive each app with many concurrent clients against a real server
process for a bounded time, then check invariants in its database.

    python -m tests.reliability.soak --app all --duration 60 --clients 32
    python -m tests.reliability.soak --app saas --database-url postgresql+asyncpg://... \
        --redis-url redis://127.0.0.1:6379/2

Prints requests served, error rate, p50/p99 latency (overall and per operation),
the server's memory growth, and each invariant.  Exits 1 when an invariant fails,
any 5xx is seen, or more than 0.1% of requests get an unexpected status.
An app joins with ``tests/<app>/soak_workload.py`` (OPERATIONS, INVARIANTS, prepare).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.reliability import server as servers
from trident.apps.registry import APPS

MAX_ERROR_RATE = 0.001


@dataclass
class Report:
    app: str
    requests: int = 0
    unexpected: int = 0
    server_errors: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    samples: dict[str, str] = field(default_factory=dict)
    rss_start_kib: int = 0
    rss_end_kib: int = 0
    invariants: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: (monotonic start, status) of every request; 0 is a transport error
    timeline: list[tuple[float, int]] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        return self.unexpected / self.requests if self.requests else 0.0

    @property
    def ok(self) -> bool:
        return (
            self.server_errors == 0
            and self.error_rate <= MAX_ERROR_RATE
            and all(v == "ok" for v in self.invariants.values())
        )

    def percentile(self, values: list[float], q: float) -> float:
        if not values:
            return 0.0
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def render(self) -> str:
        every = [v for values in self.latencies.values() for v in values]
        lines = [
            f"== soak {self.app}: {self.requests} requests in {self.seconds:.0f} s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s)",
            f"   unexpected statuses {self.unexpected} ({self.error_rate:.3%}), 5xx "
            f"{self.server_errors}",
            f"   latency p50 {self.percentile(every, 0.5):.1f} ms, p99 "
            f"{self.percentile(every, 0.99):.1f} ms",
            f"   server RSS {self.rss_start_kib / 1024:.1f} MiB -> {self.rss_end_kib / 1024:.1f} "
            f"MiB ({(self.rss_end_kib - self.rss_start_kib) / 1024:+.1f} MiB)",
        ]
        for name, values in sorted(self.latencies.items()):
            lines.append(
                f"   {name:<24} {len(values):>6}  p50 {self.percentile(values, 0.5):6.1f} ms  "
                f"p99 {self.percentile(values, 0.99):6.1f} ms"
            )
        for name, outcome in self.invariants.items():
            lines.append(f"   invariant {name}: {outcome}")
        for name, sample in self.samples.items():
            lines.append(f"   first unexpected answer to {name}: {sample}")
        lines.append(f"   {'PASS' if self.ok else 'FAIL'}")
        return "\n".join(lines)


async def _stamp(request: httpx.Request) -> None:
    request.extensions["sent_at"] = time.monotonic()


async def drive(
    module: ModuleType, base_url: str, duration: float, clients: int, report: Report
) -> Any:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=30, event_hooks={"request": [_stamp]}
    ) as client:
        state = await module.prepare(client, tenants=max(4, clients // 2))
        operations = [op for op, _ in module.OPERATIONS]
        weights = [w for _, w in module.OPERATIONS]
        deadline = time.monotonic() + duration

        async def worker() -> None:
            while time.monotonic() < deadline:
                operation = random.choices(operations, weights)[0]
                began = time.monotonic()
                started = time.perf_counter()
                try:
                    status, expected = await operation(client, state)
                except httpx.RequestError as exc:
                    # an operation may make several requests: date the one that failed
                    began = exc.request.extensions.get("sent_at", began)
                    status, expected = 0, {200}
                    report.samples.setdefault(operation.__name__, repr(exc))
                report.latencies[operation.__name__].append(time.perf_counter() - started)
                report.timeline.append((began, status))
                report.requests += 1
                if status == 0:
                    await asyncio.sleep(0.05)  # a real client backs off when it cannot connect
                if status >= 500:
                    report.server_errors += 1
                if status not in expected:
                    report.unexpected += 1
                    report.samples.setdefault(operation.__name__, str(status))

        started = time.monotonic()
        await asyncio.gather(*[worker() for _ in range(clients)])
        report.seconds = time.monotonic() - started
        return state


async def check_invariants(
    module: ModuleType, database_url: str, state: Any, report: Report
) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            for name, sql in module.INVARIANTS.items():
                rows = (await conn.execute(text(sql))).fetchall()
                report.invariants[name] = "ok" if not rows else f"FAILED ({len(rows)} rows)"
            for name, (sql, expected) in module.counted_invariants(state).items():
                found = (await conn.execute(text(sql))).scalar_one()
                report.invariants[name] = (
                    "ok" if found == expected else f"FAILED (database {found}, driver {expected})"
                )
    finally:
        await engine.dispose()


async def soak(
    app: str, *, duration: float, clients: int, database_url: str, redis_url: str, work: Path
) -> Report:
    module = importlib.import_module(f"tests.{app}.soak_workload")
    if servers.is_postgres(database_url):
        # a fresh database per run, so the invariants see this run's rows only
        database_url = servers.with_database(database_url, f"trident_soak_{app}")
        await servers.create_pg_database(database_url)
    else:
        database_url = database_url or servers.sqlite_url(work / f"{app}-soak.db")
    env = servers.server_env(app, database_url=database_url, data_dir=work, redis_url=redis_url)
    if servers.is_postgres(database_url):
        servers.migrate(app, env, work)
    report = Report(app)
    process = await servers.start_server(app, env, work)
    try:
        await drive(module, process.base_url, min(3.0, duration), min(4, clients), Report(app))
        report.rss_start_kib = process.rss_kib()
        state = await drive(module, process.base_url, duration, clients, report)
        report.rss_end_kib = process.rss_kib()
    finally:
        code = await process.stop()
    report.invariants["server exits cleanly on SIGTERM"] = (
        "ok" if code == 0 else f"FAILED (exit {code})"
    )
    await check_invariants(module, database_url, state, report)
    if servers.is_postgres(database_url):
        await servers.drop_pg_database(database_url)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default="all")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args(argv)
    apps = [
        name
        for name in (APPS if args.app == "all" else [args.app])
        if importlib.util.find_spec(f"tests.{name}.soak_workload") is not None
    ]
    ok = True
    for app in apps:
        with tempfile.TemporaryDirectory(prefix=f"soak-{app}-") as work:
            report = asyncio.run(
                soak(
                    app,
                    duration=args.duration,
                    clients=args.clients,
                    database_url=args.database_url,
                    redis_url=args.redis_url,
                    work=Path(work),
                )
            )
        print(report.render())
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

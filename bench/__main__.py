"""python -m bench run | profile | load  (see docs/performance.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

import asyncpg
from redis import Redis

from bench import data, report
from bench.run import Options, baselines, bench_app

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
#: the apps with a workload module (bench/<app>.py)
BENCHED_APPS = ("hibachi", "saas")


def _scales(text: str) -> list[int]:
    units = {"k": 1_000, "m": 1_000_000}
    return [
        int(p[:-1]) * units[p[-1]] if p[-1] in units else int(p) for p in text.lower().split(",")
    ]


async def _postgres_version(url: str) -> str | None:
    try:
        conn = await asyncpg.connect(
            url.replace("postgresql+asyncpg://", "postgresql://"), timeout=3
        )
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


def _redis_version(url: str) -> str | None:
    try:
        return str(Redis.from_url(url, socket_timeout=2).info("server")["redis_version"])
    except Exception:
        return None


def run(args: argparse.Namespace) -> int:
    scales = _scales(args.scales)
    postgres_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    pg_version = asyncio.run(_postgres_version(postgres_url))
    redis_version = _redis_version(redis_url)
    skipped = []
    if "postgres" in args.databases and pg_version is None:
        skipped.append(f"PostgreSQL ({postgres_url} unreachable)")
    if args.fresh:
        for path in data.CACHE.glob("*.db"):
            path.unlink()
    apps = list(BENCHED_APPS) if args.app == "all" else [args.app]
    facts = report.machine_facts(pg_version or "not used", redis_version or "not used")
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        options = Options(args.seconds, args.warmup, args.connections, Path(work))
        for app in apps:
            # baselines again for each app: they are the yardstick of that app's run
            print(f"{app}: baselines", flush=True)
            base = baselines(options)
            results = []
            if "sqlite" in args.databases:
                results.append(bench_app(app, scales, options, postgres_url=None, redis_url=""))
            if "postgres" in args.databases and pg_version is not None:
                results.append(
                    bench_app(
                        app,
                        scales,
                        options,
                        postgres_url=postgres_url,
                        redis_url=redis_url if redis_version else "",
                    )
                )
            text = report.render(app, base, results, options, facts, skipped)
            path = report.write(app, text)
            print(text)
            print(f"written to {path}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser("run", help="throughput and latency beside the baselines")
    bench.add_argument("--app", default="all", help="an app, or all")
    bench.add_argument("--scales", default="10k,100k,1m")
    bench.add_argument("--databases", default="sqlite,postgres")
    bench.add_argument("--seconds", type=float, default=10.0)
    bench.add_argument("--warmup", type=float, default=3.0)
    bench.add_argument("--connections", type=int, default=32)
    bench.add_argument("--fresh", action="store_true", help="reload the SQLite databases")
    profile = commands.add_parser("profile", help="one request per scenario, time split")
    profile.add_argument("--app", default="saas")
    profile.add_argument("--rows", type=_scales, default=[10_000])
    profile.add_argument("--requests", type=int, default=200)
    load = commands.add_parser("load", help="only load a database at a scale")
    load.add_argument("--app", default="saas")
    load.add_argument("--rows", type=_scales, default=[10_000])
    load.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args)
    if args.command == "profile":
        from bench.profile import profile as run_profile

        return run_profile(args.app, args.rows[0], args.requests)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES) if args.postgres else None
    print(asyncio.run(data.prepare(args.app, args.rows[0], url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench``: each scenario against a real server on one core, beside baselines.

For every database (SQLite, and PostgreSQL + Redis when reachable) and every scale,
the app is served by uvicorn pinned to core 0 and wrk is pinned to core 1.  Each
measurement is a warm-up and three runs; the median rps is reported with its
min-max and the median p50/p90/p99.  A run with more than 0.1% errors, or whose
generator used more than 90% of its core, is rejected and shown as such.  At the
largest scale every scenario is also paced at 70% of its peak to show p99 without
queueing.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx

from bench import data
from bench.loadgen import Run, run_wrk
from bench.scenario import Scenario
from bench.server import cpu_seconds, serving

SERVER_CORE, GENERATOR_CORE = 0, 1
#: the FastAPI hello, measured again beside each scenario
HELLO = Scenario("FastAPI hello", "GET", "/")
PACED_SHARE = 0.70


@dataclass
class Measured:
    """One scenario at one scale: the accepted runs, or why there are none."""

    scenario: str
    write: bool = False
    large_list: bool = False
    runs: list[Run] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    server_cpu: float = 0.0  # share of its core the server used during the runs
    paced: Run | None = None
    paced_rate: float = 0.0
    #: the FastAPI hello measured just before and just after this scenario
    hello_before: Measured | None = None
    hello_after: Measured | None = None

    @property
    def ok(self) -> bool:
        return len(self.runs) == 3

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs) if self.runs else 0.0

    @property
    def per_core_rps(self) -> float:
        """Requests per second of server CPU: steadier than rps on a shared machine."""
        return self.rps / self.server_cpu if self.server_cpu else 0.0

    def hello(self) -> tuple[float, float] | None:
        """The FastAPI hello beside this scenario: mean rps and mean per-core rps."""
        around = [h for h in (self.hello_before, self.hello_after) if h is not None and h.ok]
        if not around:
            return None
        return (
            statistics.mean(h.rps for h in around),
            statistics.mean(h.per_core_rps for h in around),
        )

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(r, attribute) for r in self.runs) if self.runs else 0.0


@dataclass
class Options:
    seconds: float = 10.0
    warmup: float = 3.0
    connections: int = 32
    workdir: Path = Path(tempfile.gettempdir())


def measure(
    base_url: str, pid: int, scenario: Scenario, token: str | None, options: Options, *, paced: bool
) -> Measured:
    result = Measured(scenario.name, scenario.write, scenario.list_of_large_table)
    common = {
        "connections": options.connections,
        "core": GENERATOR_CORE,
        "workdir": options.workdir,
    }
    run_wrk(base_url, scenario, token, seconds=options.warmup, **common)  # type: ignore[arg-type]
    cpu_before = cpu_seconds(pid)
    for _ in range(3):
        run = run_wrk(base_url, scenario, token, seconds=options.seconds, **common)  # type: ignore[arg-type]
        reason = run.rejection()
        if reason:
            result.rejected.append(reason)
        else:
            result.runs.append(run)
    result.server_cpu = (cpu_seconds(pid) - cpu_before) / (3 * options.seconds)
    if paced and result.ok:
        result.paced_rate = PACED_SHARE * result.rps
        result.paced = run_wrk(
            base_url,
            scenario,
            token,
            seconds=options.seconds,
            rate=result.paced_rate,
            **common,  # type: ignore[arg-type]
        )
    return result


def baselines(options: Options) -> dict[str, Measured]:
    probe = Scenario("baseline", "GET", "/")
    found = {}
    for name, factory in (
        ("raw ASGI", "bench.baselines:create_raw_app"),
        ("FastAPI", "bench.baselines:create_fastapi_app"),
    ):
        with serving(
            factory, core=SERVER_CORE, env=dict(os.environ), ready_path="/", workdir=options.workdir
        ) as (url, pid):
            found[name] = measure(url, pid, probe, None, options, paced=False)
    return found


def app_env(app: str, database_url: str, redis_url: str, workdir: Path) -> dict[str, str]:
    prefix = f"{app.upper()}_"
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefix)}
    env.update(data.workload(app).ENV)
    env.update(
        {
            f"{prefix}DATABASE_URL": database_url,
            f"{prefix}REDIS_URL": redis_url,
            "DATA_DIR": str(workdir),
            "ENVIRONMENT": "development",
            "LOG_LEVEL": "WARNING",
            # the limiter would answer 429 to a load generator; its cost is one Redis
            # or memory counter per request, measured in the profile
            "RATE_LIMIT_ENABLED": "false",
            # background upkeep (rescoring a million leads' stations at start) is not
            # what a scenario measures; in production it runs in `trident worker`
            "PERIODIC_JOBS": "false",
            "AI_STREAM_DELAY": "0",
        }
    )
    return env


def tokens(base_url: str, users: set[str], module: ModuleType) -> dict[str, str]:
    """Each user's access token, signing in the way the app's clients do."""
    found = {}
    for email in users:
        login: Scenario = module.login_scenario(email)
        response = httpx.post(
            base_url + login.path,
            content=login.body,
            headers={"Content-Type": login.content_type},
            timeout=30,
        )
        response.raise_for_status()
        found[email] = response.json()["access_token"]
    return found


@dataclass
class AppResults:
    database: str
    #: scale -> scenario name -> figures
    by_scale: dict[int, dict[str, Measured]] = field(default_factory=dict)


def bench_app(
    app: str, scales: list[int], options: Options, *, postgres_url: str | None, redis_url: str
) -> AppResults:
    module = data.workload(app)
    results = AppResults("PostgreSQL + Redis" if postgres_url else "SQLite")
    for index, rows in enumerate(scales):
        url = asyncio.run(data.prepare(app, rows, postgres_url))
        asyncio.run(data.reset_writes(app, url))
        largest, smallest = index == len(scales) - 1, index == 0
        env = app_env(app, url, redis_url, options.workdir)
        found: dict[str, Measured] = {}
        with (
            serving(
                f"trident.apps.{app}.main:create_app",
                core=SERVER_CORE,
                env=env,
                ready_path="/ready",
                workdir=options.workdir,
            ) as (base_url, pid),
            # idle on the same core while the app is measured, measured while the app idles
            serving(
                "bench.baselines:create_fastapi_app",
                core=SERVER_CORE,
                env=dict(os.environ),
                ready_path="/",
                workdir=options.workdir,
            ) as (hello_url, hello_pid),
        ):

            def hello() -> Measured:
                return measure(hello_url, hello_pid, HELLO, None, options, paced=False)

            scenarios = module.scenarios()
            signed_in = tokens(base_url, {s.user for s in scenarios if s.user}, module)
            for scenario in scenarios:
                # writes and login cost the same at any scale; measure them once
                if scenario.write and not smallest:
                    continue
                print(f"  {results.database} {rows:>9,} rows: {scenario.name}", flush=True)
                token = signed_in.get(scenario.user) if scenario.user else None
                before = hello()
                measured = measure(
                    base_url, pid, scenario, token, options, paced=largest or scenario.write
                )
                measured.hello_before, measured.hello_after = before, hello()
                found[scenario.name] = measured
            if smallest:
                login = module.login_scenario()
                print(f"  {results.database}: {login.name}", flush=True)
                found[login.name] = measure(base_url, pid, login, None, options, paced=False)
        results.by_scale[rows] = found
    return results

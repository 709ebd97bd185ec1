"""The results file: machine facts, versions, flags, every figure, the targets."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.loadgen import Run
from bench.run import PACED_SHARE, AppResults, Measured, Options
from bench.server import UVICORN_FLAGS

RESULTS = Path(__file__).parent / "results"
PACKAGES = ("fastapi", "starlette", "pydantic", "uvicorn", "uvloop", "httptools", "sqlalchemy",
            "aiosqlite", "asyncpg", "redis", "argon2-cffi")  # fmt: skip

#: (what, threshold) as the issue states them
LIST_SQLITE, LIST_POSTGRES, WRITE_SQLITE, GROWTH, PACED_P99_MS = 0.35, 0.25, 0.20, 1.3, 50.0


def _command(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return "not found"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else ""
    )


def machine_facts(postgres_version: str, redis_version: str) -> list[str]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    facts = [
        f"- CPU: {cpu}; cores available: {len(__import__('os').sched_getaffinity(0))}",
        f"- Kernel: {platform.release()}; Python {platform.python_version()}",
        f"- Load generator: {_command('wrk', '-v')} (Debian package `wrk`)",
        f"- PostgreSQL server: {postgres_version}; Redis server: {redis_version}",
        "- Packages: " + ", ".join(f"{p} {version(p)}" for p in PACKAGES),
    ]
    return facts


def git_sha() -> str:
    return _command("git", "rev-parse", "--short", "HEAD") or "unknown"


def ratios(m: Measured, fastapi: Measured) -> tuple[float, float]:
    """``m`` as a share of the FastAPI hello, raw and per server core-second.  The
    hello measured beside the scenario (just before and after) is preferred to the
    run's baseline: on a shared machine the hello alone swings between runs."""
    beside = m.hello()
    hello_rps, hello_per_core = beside or (fastapi.rps, fastapi.per_core_rps)
    raw = m.rps / hello_rps if hello_rps else 0.0
    per_core = m.per_core_rps / hello_per_core if hello_per_core else 0.0
    return raw, per_core


def _run_cells(m: Measured, fastapi: Measured) -> str:
    if not m.ok:
        return f"| {m.scenario} | rejected: {'; '.join(m.rejected)} |" + " |" * 8
    low, high = min(r.rps for r in m.runs), max(r.rps for r in m.runs)
    errors = sum(r.errors for r in m.runs)
    paced = _paced(m)
    raw, per_core = ratios(m, fastapi)
    return (
        f"| {m.scenario} | {m.rps:,.0f} ({low:,.0f}-{high:,.0f}) | {raw:.2f} | {per_core:.2f} | "
        f"{m.median('p50_ms'):.1f} | {m.median('p90_ms'):.1f} | {m.median('p99_ms'):.1f} | "
        f"{errors} | {m.server_cpu:.0%} | {paced} |"
    )


def _paced(m: Measured) -> str:
    run: Run | None = m.paced
    if run is None:
        return "—"
    return f"{run.rps:,.0f}/s: p50 {run.p50_ms:.1f}, p99 {run.p99_ms:.1f}"


HEADER = (
    "| scenario | rps median (min-max) | x FastAPI | x FastAPI per core | p50 ms | p90 ms | "
    "p99 ms | errors | server CPU | paced at 70% of peak |\n" + "|---" * 10 + "|"
)


def targets(results: list[AppResults], fastapi: Measured) -> list[str]:
    lines = []
    for app_results in results:
        scales = sorted(app_results.by_scale)
        largest, smallest = app_results.by_scale[scales[-1]], app_results.by_scale[scales[0]]
        sqlite = app_results.database == "SQLite"
        for m in largest.values():
            if m.ok and m.large_list:
                need = LIST_SQLITE if sqlite else LIST_POSTGRES
                ratio = ratios(m, fastapi)[0]
                what = f"{app_results.database}: {m.scenario} at {scales[-1]:,} rows"
                lines.append(
                    _verdict(f"{what}, >= {need} x FastAPI", ratio >= need, f"{ratio:.2f}")
                )
                if sqlite and m.paced:
                    lines.append(_verdict(f"{app_results.database}: its p99 at 70% of peak < "
                                          f"{PACED_P99_MS:.0f} ms", m.paced.p99_ms < PACED_P99_MS,
                                          f"{m.paced.p99_ms:.1f} ms"))  # fmt: skip
        if sqlite:
            for m in smallest.values():
                if m.ok and m.write:
                    ratio = ratios(m, fastapi)[0]
                    what = f"SQLite: write '{m.scenario}' >= {WRITE_SQLITE} x FastAPI"
                    lines.append(_verdict(what, ratio >= WRITE_SQLITE, f"{ratio:.2f}"))
        for name, small in smallest.items():
            big = largest.get(name)
            if big and big is not small and small.ok and big.ok:
                growth = small.rps / big.rps
                lines.append(_verdict(f"{app_results.database}: '{name}' cost at "
                                      f"{scales[-1]:,} <= {GROWTH} x at {scales[0]:,}",
                                      growth <= GROWTH, f"{growth:.2f}"))  # fmt: skip
    return lines


def _verdict(what: str, met: bool, measured: str) -> str:
    return f"- {'met' if met else '**missed**'}: {what} (measured {measured})"


def render(
    app: str,
    base: dict[str, Measured],
    results: list[AppResults],
    options: Options,
    facts: list[str],
    skipped: list[str],
) -> str:
    fastapi = base["FastAPI"]
    now = datetime.now(UTC)
    out = [
        f"# Benchmark {app}: {now:%Y-%m-%d %H:%M} UTC, commit {git_sha()}",
        "",
        "## Machine and flags",
        *facts,
        f"- Server: `taskset -c 0 python -m uvicorn <factory> {' '.join(UVICORN_FLAGS)}`",
        f"- Load: `taskset -c 1 wrk -t1 -c{options.connections} -d{options.seconds:g}s` after a "
        f"{options.warmup:g} s warm-up; three measured runs; paced mode at "
        f"{PACED_SHARE:.0%} of the median peak (a Lua pacer on a fixed schedule)",
        "- A run with > 0.1% errors or a generator above 90% of its core is rejected.",
        "- Rate limiting off (it would 429 the generator); app log level WARNING.",
        *(f"- Skipped: {why}" for why in skipped),
        "",
        "## Baselines (same run, same flags)",
        "",
        HEADER,
        *(
            _run_cells(m, fastapi).replace(f"| {m.scenario} |", f"| {name} |", 1)
            for name, m in base.items()
        ),
    ]
    for app_results in results:
        for rows, measured in sorted(app_results.by_scale.items()):
            out += ["", f"## {app_results.database}, {rows:,} rows per main table", "", HEADER]
            out += [_run_cells(m, fastapi) for m in measured.values()]
        scales = sorted(app_results.by_scale)
        out += ["", f"### Growth on {app_results.database} (cost = 1 / rps)", ""]
        out += ["| scenario | " + " | ".join(f"{s:,}" for s in scales) +
                f" | cost {scales[-1]:,} / {scales[0]:,} |"]  # fmt: skip
        out += ["|---" * (len(scales) + 2) + "|"]
        for name, first in app_results.by_scale[scales[0]].items():
            row = [app_results.by_scale[s].get(name) for s in scales]
            if any(m is None for m in row[1:]):
                continue
            cells = [f"{m.rps:,.0f}" if m and m.ok else "rejected" for m in row]
            last = row[-1]
            ratio = f"{first.rps / last.rps:.2f}" if first.ok and last and last.ok else "—"
            out.append(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
    out += ["", "## Targets", "", *targets(results, fastapi)]
    return "\n".join(out) + "\n"


def write(app: str, text: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-{git_sha()}-{app}.md"
    path.write_text(text)
    return path

"""wrk (Debian's package ``wrk`` 4.1), pinned to its own core, driven by a generated
Lua script: the scenario's method, path, headers and body, a tenant header rotated per
request where the scenario asks, an optional constant-rate pacer, and a ``done`` hook
that prints the figures as one JSON line.
"""

from __future__ import annotations

import itertools
import json
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.scenario import NEXT_DATE, NEXT_TIME, Scenario

#: a run whose generator used more of its core than this measured the generator
SATURATED = 0.90
MAX_ERROR_RATE = 0.001

_PACER = """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
           int clock_gettime(int clk_id, bench_timespec *tp); ]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local next_slot = nil
-- each request takes the next slot of a fixed schedule (open loop while a
-- connection is free): latency is measured without the generator's own queueing
delay = function()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then next_slot = now end
  local slot = next_slot
  next_slot = next_slot + INTERVAL_MS
  if slot <= now then return 0 end
  return slot - now
end
"""

_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


#: each run's slot sequence starts here, so no two runs (warm-up, measured, paced)
#: ever ask for the same slot: 40,000 requests a run is far above any run's count, and
#: 10,000 days a run keeps a whole bench well inside the calendar
#: each run of a booking scenario starts this many bookings later (2,500 days of four
#: slots): more than a run sends, and a whole bench stays inside a 100-year horizon
_RUN_OFFSETS = itertools.count(0, 10_000)
_FIRST_DAY = time.time() // 86_400 * 86_400 + 2 * 86_400  # the day after tomorrow, UTC


def lua_script(scenario: Scenario, token: str | None, rate: float | None) -> str:
    headers = scenario.headers(token)
    rows = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    tenants = ", ".join(_lua_string(o) for o in scenario.rotate_tenants)
    slots = ", ".join(_lua_string(t) for t in scenario.slot_times)
    body = _lua_string(scenario.body) if scenario.body is not None else "nil"
    lines = [
        f"local headers = {{{rows}}}",
        f"local tenants = {{{tenants}}}",
        f"local slots = {{{slots}}}",
        f"local tenant_header = {_lua_string(scenario.tenant_header)}",
        "local counter = math.random(0, 100000)",
        f"local sequence = {next(_RUN_OFFSETS) if scenario.slot_times else 0}",
        f"local first_day = {_FIRST_DAY:.0f}",
        "request = function()",
        "  local body = BODY",
        "  if #tenants > 0 then",
        "    counter = counter + 1",
        "    headers[tenant_header] = tenants[(counter % #tenants) + 1]",
        "  end",
        "  if #slots > 0 then",
        "    sequence = sequence + 1",
        "    local day = first_day + math.floor(sequence / #slots) * 86400",
        f'    body = string.gsub(body, "{NEXT_DATE}", os.date("!%Y-%m-%d", day))',
        f'    body = string.gsub(body, "{NEXT_TIME}", slots[(sequence % #slots) + 1])',
        "  end",
        f"  return wrk.format({_lua_string(scenario.method)}, {_lua_string(scenario.path)},"
        " headers, body)",
        "end",
    ]
    script = "\n".join(lines).replace("BODY", body) + "\n"
    if rate:
        script += _PACER.replace("INTERVAL_MS", f"{1000.0 / rate:.6f}")
    return script + _DONE


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    generator_cpu: float  # share of its core the generator used

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 1.0

    def rejection(self) -> str | None:
        """Why this run cannot be reported, or None."""
        if self.requests == 0:
            return "no request completed"
        if self.error_rate > MAX_ERROR_RATE:
            return f"{self.errors} errors in {self.requests} requests"
        if self.generator_cpu > SATURATED:
            return f"load generator saturated ({self.generator_cpu:.0%} of its core)"
        return None


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when it is missing (CI, fresh boxes)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("make bench needs wrk: `apt-get install wrk` (Debian/Ubuntu)")
    return found


def run_wrk(
    base_url: str,
    scenario: Scenario,
    token: str | None,
    *,
    seconds: float,
    connections: int,
    core: int,
    workdir: Path,
    rate: float | None = None,
) -> Run:
    script = workdir / "scenario.lua"
    script.write_text(lua_script(scenario, token, rate))
    command = [
        "taskset", "-c", str(core), ensure_wrk(), "-t1", f"-c{connections}",
        f"-d{seconds:g}s", "--timeout", "10s", "-s", str(script), base_url,
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line)
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        errors=errors,
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        generator_cpu=cpu / wall if wall else 0.0,
    )

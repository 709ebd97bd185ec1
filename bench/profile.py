"""``make bench-profile``: where one request of each scenario spends its time.

The app runs in-process (its ASGI callable, no server, no network) on a loaded SQLite
database, one request at a time.  Wall time inside the app is split four ways, each
moment charged to the innermost of:

- **database**: inside an ``AsyncSession`` call (SQL building, the driver, the thread
  hop to SQLite, ORM loading of the rows);
- **auth**: inside a dependency from an ``auth`` module (token check, principal and
  tenant resolution), less its database time;
- **serialization**: FastAPI validating and encoding the response, and its rendering
  to JSON bytes;
- **framework**: everything else (middleware, routing, dependency solving, the
  endpoint's own Python).
"""

from __future__ import annotations

import asyncio
import functools
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse

from bench import data
from bench.scenario import NEXT_DATE, NEXT_TIME, Scenario
from trident.apps.registry import get_app

CATEGORIES = ("auth", "database", "serialization", "framework")
SESSION_METHODS = ("execute", "scalar", "scalars", "get", "commit", "flush", "rollback",
                   "refresh", "close", "stream", "delete", "merge")  # fmt: skip


class Clock:
    """Charges elapsed wall time to the innermost open category."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.spent: dict[str, float] = defaultdict(float)
        self.mark = time.perf_counter()

    def _charge(self) -> None:
        now = time.perf_counter()
        self.spent[self.stack[-1] if self.stack else "framework"] += now - self.mark
        self.mark = now

    @contextmanager
    def inside(self, category: str) -> Iterator[None]:
        self._charge()
        self.stack.append(category)
        try:
            yield
        finally:
            self._charge()
            self.stack.pop()

    def reset(self) -> None:
        self.spent.clear()
        self.stack.clear()
        self.mark = time.perf_counter()


CLOCK = Clock()


def _timed_async(category: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        with CLOCK.inside(category):
            return await function(*args, **kwargs)

    return timed


def _timed_sync(category: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        with CLOCK.inside(category):
            return function(*args, **kwargs)

    return timed


def instrument(app: FastAPI) -> None:
    for name in SESSION_METHODS:
        if hasattr(AsyncSession, name):
            setattr(AsyncSession, name, _timed_async("database", getattr(AsyncSession, name)))
    routing.serialize_response = _timed_async("serialization", routing.serialize_response)  # type: ignore[assignment]
    JSONResponse.render = _timed_sync("serialization", JSONResponse.render)  # type: ignore[method-assign]
    # auth dependencies: the solved dependency tree calls a timed wrapper instead
    # (dependency_overrides would re-analyse the override on every request)
    wrapped: dict[Any, Callable[..., Any]] = {}

    def visit(dependant: Dependant) -> None:
        for sub in dependant.dependencies:
            call = sub.call
            if call in wrapped.values():
                continue
            if asyncio.iscoroutinefunction(call) and ".auth" in getattr(call, "__module__", ""):
                sub.call = wrapped.setdefault(call, _timed_async("auth", call))
            visit(sub)

    for route in app.routes:
        # included routers expose their routes as "effective" contexts (FastAPI >= 0.16x)
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for context in contexts:
            if isinstance(getattr(context, "dependant", None), Dependant):
                visit(context.dependant)


async def _profile(
    app_name: str, url: str, requests: int, work: Path
) -> list[tuple[str, dict[str, float]]]:
    module = data.workload(app_name)
    os.environ.update(module.ENV)
    os.environ.update(
        {
            f"{app_name.upper()}_DATABASE_URL": url,
            "DATA_DIR": str(work),
            "RATE_LIMIT_ENABLED": "false",
            "PERIODIC_JOBS": "false",
            "LOG_LEVEL": "WARNING",
            "AI_STREAM_DELAY": "0",
        }
    )
    app = get_app(app_name).module("main").create_app()
    instrument(app)
    results = []
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            scenarios: list[Scenario] = [*module.scenarios(), module.login_scenario()]
            token_of = {}
            for email in {s.user for s in scenarios if s.user}:
                login: Scenario = module.login_scenario(email)
                response = await client.post(
                    login.path, content=login.body, headers={"Content-Type": login.content_type}
                )
                token_of[email] = response.json()["access_token"]
            for scenario in scenarios:
                count = (
                    requests if not scenario.name.startswith("login") else max(requests // 20, 5)
                )
                samples: dict[str, list[float]] = defaultdict(list)
                for index in range(count + 10):
                    token = token_of[scenario.user] if scenario.user else None
                    headers = scenario.headers(token, index)
                    CLOCK.reset()
                    with CLOCK.inside("framework"):
                        response = await app_call(
                            transport, app, scenario, headers, profile_body(scenario, index)
                        )
                    if response >= 400:
                        raise RuntimeError(f"{scenario.name}: status {response}")
                    if index >= 10:  # the first ones warm caches
                        for category in CATEGORIES:
                            samples[category].append(CLOCK.spent.get(category, 0.0))
                results.append(
                    (scenario.name, {c: statistics.mean(v) * 1000 for c, v in samples.items()})
                )
    return results


def profile_body(scenario: Scenario, index: int) -> bytes:
    """The body of request ``index``, its slot placeholders filled in as wrk does."""
    body = scenario.body or ""
    if scenario.slot_times:
        day = date.today() + timedelta(days=2 + index // len(scenario.slot_times))
        body = body.replace(NEXT_DATE, day.isoformat()).replace(
            NEXT_TIME, scenario.slot_times[index % len(scenario.slot_times)]
        )
    return body.encode()


async def app_call(
    transport: httpx.ASGITransport,
    app: FastAPI,
    scenario: Scenario,
    headers: dict[str, str],
    body: bytes,
) -> int:
    """One request straight into the ASGI callable (no client library in the timing)."""
    path, _, query = scenario.path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": scenario.method, "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in
                    {**headers, "host": "bench", "content-length": str(len(body))}.items()],
    }  # fmt: skip
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def profile(app_name: str, rows: int, requests: int) -> int:
    url = asyncio.run(data.prepare(app_name, rows))
    asyncio.run(data.reset_writes(app_name, url))
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as work:
        results = asyncio.run(_profile(app_name, url, requests, Path(work)))
    print(f"\n{app_name}, SQLite, {rows:,} rows, mean of {requests} requests each (ms)\n")
    print(f"| scenario | total | {' | '.join(CATEGORIES)} |")
    print("|---" * (len(CATEGORIES) + 2) + "|")
    for name, spent in results:
        total = sum(spent.values())
        cells = " | ".join(
            f"{spent.get(c, 0):.3f} ({spent.get(c, 0) / total:.0%})" for c in CATEGORIES
        )
        print(f"| {name} | {total:.3f} | {cells} |")
    return 0

"""The authorization matrix: every route, called as every identity, answers as its row says.

Each app keeps its expectations in ``tests/<app>/authz_matrix.py`` (one readable
table) and a three-line ``test_authz_matrix.py`` that hands it to this runner.
The module provides:

- ``IDENTITIES``: the callers, e.g. anonymous, each role, a member of another
  tenant, a revoked API key;
- ``async build_world(client)``: creates those callers through the API and returns
  an object whose ``headers(identity)`` are the caller's credentials;
- ``ROWS``: ``{(METHOD, path template): Row}`` for every operation the app answers,
  aliases left out of its OpenAPI document included.  A route without a row, or a
  row without a route, fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
from fastapi import FastAPI

from trident.core.docs import DOCS_URL, REDOC_URL
from trident.core.openapi import routed_operations
from trident.core.payments.local_pages import LOCAL_PAGES_PREFIX

#: pages for a browser, not API operations: the documentation (the same HTML for
#: everyone, tests/browser) and the local payment provider's checkout
#: (tests/core/test_local_payments.py)
DOCS_PAGES = (DOCS_URL, REDOC_URL, LOCAL_PAGES_PREFIX)


@dataclass(frozen=True)
class Call:
    """What one request carries besides the caller's credentials."""

    path_params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    data: dict[str, str] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


Prepare = Callable[[Any, httpx.AsyncClient], Awaitable[Call]]
Setup = Callable[[Any, httpx.AsyncClient], Awaitable[None]]


@dataclass(frozen=True)
class Row:
    #: identity -> expected status
    expect: dict[str, int]
    #: builds a fresh request per call (bodies, ids of objects the call may destroy)
    prepare: Prepare | None = None
    #: puts the world in the state the row needs (e.g. a plan), once per row
    setup: Setup | None = None


def operations(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation the app answers, published or alias (an alias left out of the
    OpenAPI document must be guarded exactly as its published path)."""
    return {
        (operation.method, operation.path)
        for operation in routed_operations(app)
        if operation.method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        and not operation.path.startswith(DOCS_PAGES)
    }


def check_coverage(app: FastAPI, matrix: ModuleType) -> None:
    routes, rows = operations(app), set(matrix.ROWS)
    assert sorted(routes - rows) == [], "routes without a row in the authorization matrix"
    assert sorted(rows - routes) == [], "rows for routes that no longer exist"
    for key, row in matrix.ROWS.items():
        assert set(row.expect) == set(matrix.IDENTITIES), f"{key}: every identity needs a status"


async def check_rows(client: httpx.AsyncClient, matrix: ModuleType) -> list[str]:
    """Call every row as every identity; returns the mismatches (empty when all hold)."""
    world = await matrix.build_world(client)
    mismatches: list[str] = []
    for (method, path), row in matrix.ROWS.items():
        if row.setup is not None:
            await row.setup(world, client)
        for identity in matrix.IDENTITIES:
            call = await row.prepare(world, client) if row.prepare else Call()
            response = await client.request(
                method,
                path.format(**call.path_params),
                headers={**world.headers(identity), **call.headers},
                json=call.json,
                data=call.data,
                content=call.content,
            )
            expected = row.expect[identity]
            if response.status_code != expected:
                mismatches.append(
                    f"{method} {path} as {identity}: expected {expected}, "
                    f"got {response.status_code} {response.text[:160]}"
                )
    return mismatches

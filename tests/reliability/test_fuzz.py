"""Property-based fuzzing of each app's own OpenAPI document with schemathesis.

The app runs in-process (``schemathesis.openapi.from_asgi``) against a migrated
database, signed in as a real user.  Schemathesis' engine runs every phase the CLI
runs (examples, coverage, fuzzing, stateful) with every check: no 5xx; statuses,
content types, bodies and headers as documented; invalid input refused and valid
input accepted; nothing needing credentials succeeds without them (ST401).  Two
checks of ours run beside them: error bodies are in the app's envelope, and a
read that succeeds for its tenant answers 404 to another tenant (ST402).

The fast profile runs in ``make test``; ``make fuzz`` (``TRIDENT_FUZZ=long``)
generates 25x more examples.  An app joins by adding ``tests/<app>/fuzz_identities.py``;
an exclusion lives there with its reason.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.python import asgi

from tests.conftest import BACKEND, _create_pg_database
from trident.apps.registry import APPS, get_app
from trident.core.db.migrations import upgrade

LONG = os.environ.get("TRIDENT_FUZZ") == "long"
MAX_EXAMPLES = 100 if LONG else 4


def fuzzed_apps() -> list[ModuleType]:
    found = []
    for name in APPS:
        try:
            found.append(importlib.import_module(f"tests.{name}.fuzz_identities"))
        except ModuleNotFoundError:
            continue
    return found


def database_for(app: str, tmp: Path) -> str:
    if BACKEND == "postgres":
        return asyncio.run(_create_pg_database(f"trident_fuzz_{app}"))
    return f"sqlite+aiosqlite:///{tmp / (app + '-fuzz.db')}"


def config_for(module: ModuleType, who: dict[str, Any]) -> SchemathesisConfig:
    by_operation: dict[str, list[str]] = {}
    for operation, check in module.EXCLUSIONS:
        by_operation.setdefault(operation, []).append(check)
    return SchemathesisConfig.from_dict(
        {
            "headers": who["headers"],
            "parameters": who["parameters"],
            "seed": 20261123,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                # HTTP servers ignore headers and query keys they do not know (RFC 9110
                # §5.1); bodies still refuse unknown properties (extra="forbid").
                "allow-extra-parameters": False,
            },
            "checks": {"enabled": True},
            "operations": [
                {"include-name": operation, "checks": {c: {"enabled": False} for c in checks}}
                for operation, checks in by_operation.items()
            ],
        }
    )


def register_tenant_checks(module: ModuleType, session: Any, other_tenant: dict[str, str]) -> None:
    @schemathesis.check
    def error_in_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
        if (
            response.status_code < 400
            or "json" not in response.headers.get("content-type", [""])[0]
        ):
            return None
        missing = module.ENVELOPE_KEYS - set(response.json())
        if missing:
            raise AssertionError(f"error body lacks the envelope keys {sorted(missing)}")
        return None

    @schemathesis.check
    def other_tenant_gets_404(ctx: Any, response: Any, case: Any) -> bool | None:
        if case.method != "GET" or not 200 <= response.status_code < 300:
            return None
        if "{" not in case.operation.path:
            return None  # collections answer per caller (X-Current-Org), not by object id
        replay = session.get(case.formatted_path, headers=other_tenant, params=case.query)
        if replay.status_code != 404:
            raise AssertionError(
                f"{case.formatted_path} answered {replay.status_code} to another tenant"
            )
        return None


def executed(schema: Any, engine_errors: set[str]) -> Iterator[tuple[str, Any, list[Any]]]:
    """Each case schemathesis' engine ran: its scenario's label, the case and its
    checks.  An error of the engine itself is added to ``engine_errors``."""
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.FatalError | events.NonFatalError):
            engine_errors.add(f"engine error: {event}")
        if not isinstance(event, events.ScenarioFinished):
            continue
        for case_id, case_checks in event.recorder.checks.items():
            yield event.recorder.label, event.recorder.cases[case_id].value, case_checks


def _mutated_a_fixed_parameter(check: str, failure: Any, fixed: list[str]) -> bool:
    """Excluded, because it is the harness, not the app: a negative case whose invalid
    part is a parameter we pin (the caller's org) is sent with the pinned valid value,
    so the app rightly accepts it."""
    message = str(getattr(failure, "message", ""))
    return check == "negative_data_rejection" and any(
        f"parameter `{name}`" in message for name in fixed
    )


@pytest.mark.parametrize("module", fuzzed_apps(), ids=lambda m: m.APP)
def test_app_honours_its_openapi_contract(module: ModuleType, tmp_path: Path) -> None:
    url = database_for(module.APP, tmp_path)
    upgrade(get_app(module.APP).migrations_dir, url)
    app = module.build_app(url, tmp_path)
    with asgi.get_client(app) as session:  # starts the app's lifespan on schemathesis' loop
        who = module.identities(session)
        register_tenant_checks(module, session, who["other_tenant"])
        schema = schemathesis.openapi.from_asgi(
            "/openapi.json", app, config=config_for(module, who)
        )
        failures: set[str] = set()
        fixed = [key.partition(".")[2] for key in who["parameters"]]
        cases = checks = 0
        for label, case, case_checks in executed(schema, failures):
            cases += 1
            checks += len(case_checks)
            for check in case_checks:
                if check.failure_info is not None:
                    failure = check.failure_info.failure
                    if _mutated_a_fixed_parameter(check.name, failure, fixed):
                        continue
                    failures.add(
                        f"{label} [{check.name}] {failure.title}: "
                        f"{case.method} {case.formatted_path} "
                        f"{str(getattr(failure, 'message', ''))[:200]}"
                    )
    operations = len(list(schema.get_all_operations()))
    print(f"\nfuzz {module.APP}: {operations} operations, {cases} cases, {checks} checks")
    assert cases > 0
    assert not failures, "\n".join(sorted(failures))


# -- the ends of the calendar ------------------------------------------------------------

#: days and instants where unchecked date arithmetic overflows: the first and last days
#: a ``date`` holds, and instants whose offset pushes their UTC value out of range
EDGE_DAYS = ("0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31")
EDGE_INSTANTS = (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-12:00",
)


def _has_date_field(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("format") in ("date", "date-time"):
            return True
        return any(_has_date_field(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_date_field(value) for value in node)
    return False


def date_operations(document: dict[str, Any]) -> list[str]:
    """The operation ids whose parameters or request body hold a date or date-time."""
    found = []
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete") and _has_date_field(
                [operation.get("parameters", []), operation.get("requestBody", {})]
            ):
                found.append(operation["operationId"])
    return found


@pytest.fixture
def calendar_edges() -> Any:
    """Every generated date and date-time is one of the edges (or an ordinary value),
    for this test only: the formats are unregistered after it."""
    from hypothesis import strategies as st

    schemathesis.openapi.format("date", st.sampled_from(EDGE_DAYS) | st.dates().map(str))
    schemathesis.openapi.format(
        "date-time", st.sampled_from(EDGE_INSTANTS) | st.datetimes().map(lambda d: d.isoformat())
    )
    yield
    from schemathesis.specs.openapi.formats import unregister_string_format

    unregister_string_format("date")
    unregister_string_format("date-time")


@pytest.mark.parametrize("module", fuzzed_apps(), ids=lambda m: m.APP)
def test_every_date_field_survives_the_ends_of_the_calendar(
    module: ModuleType, tmp_path: Path, calendar_edges: None
) -> None:
    """Each date parameter and body field, sent 0001-01-01, 9999-12-31 and instants
    whose offset leaves the calendar in UTC, answers a success or an error in the
    envelope: never a 5xx."""
    url = database_for(module.APP, tmp_path)
    upgrade(get_app(module.APP).migrations_dir, url)
    app = module.build_app(url, tmp_path)
    with asgi.get_client(app) as session:
        who = module.identities(session)
        register_tenant_checks(module, session, who["other_tenant"])
        operations = date_operations(session.get("/openapi.json").json())
        config = SchemathesisConfig.from_dict(
            {
                "headers": who["headers"],
                "parameters": who["parameters"],
                "seed": 20261203,
                "phases": {
                    "examples": {"enabled": False},
                    "coverage": {"enabled": False},
                    "stateful": {"enabled": False},
                },
                "generation": {"max-examples": 25 if LONG else 8, "mode": "positive"},
                "checks": {
                    "enabled": False,
                    "not_a_server_error": {"enabled": True},
                    "error_in_envelope": {"enabled": True},
                },
            }
        )
        schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config).include(
            operation_id=operations
        )
        failures: set[str] = set()
        cases = edges_sent = 0
        for _label, case, case_checks in executed(schema, failures):
            cases += 1
            sent = repr((case.query, case.body))
            edges_sent += any(edge in sent for edge in (*EDGE_DAYS, *EDGE_INSTANTS))
            for check in case_checks:
                if check.failure_info is not None:
                    failures.add(
                        f"[{check.name}] {case.method} {case.formatted_path} "
                        f"{case.query} {str(case.body)[:200]}"
                    )
    print(
        f"\ncalendar edges {module.APP}: {len(operations)} operations, {cases} cases, "
        f"{edges_sent} with an edge"
    )
    assert len(operations) > 0 and cases >= len(operations)
    assert edges_sent > 0, "the edge formats were not used: the test would prove nothing"
    assert not failures, "\n".join(sorted(failures))

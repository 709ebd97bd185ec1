"""The apps Trident serves, found by name without importing them all."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class AppSpec:
    name: str
    port: int
    package: str

    def module(self, name: str) -> Any:
        return importlib.import_module(f"{self.package}.{name}")

    @property
    def factory(self) -> str:
        return f"{self.package}.main:create_app"

    @property
    def broker_factory(self) -> str:
        return f"{self.package}.worker:broker"

    @property
    def migrations_dir(self) -> Path:
        return Path(importlib.import_module(self.package).__file__).parent / "migrations"  # type: ignore[arg-type]

    def settings(self) -> Any:
        """The app's settings, read from the environment now (never at import)."""
        return self.module("config").Settings()


APPS: dict[str, AppSpec] = {
    "hibachi": AppSpec("hibachi", 8000, "trident.apps.hibachi"),
    "saas": AppSpec("saas", 8002, "trident.apps.saas"),
}


def get_app(name: str) -> AppSpec:
    try:
        return APPS[name]
    except KeyError:
        raise SystemExit(f"unknown app {name!r}; choose one of: {', '.join(APPS)}")

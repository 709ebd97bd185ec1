"""``trident``: serve, migrate, seed, create-admin and worker, for each app."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from typing import Annotated

import typer
from rich.console import Console

from trident.apps.registry import APPS, get_app
from trident.core.db.migrations import revision, upgrade

cli = typer.Typer(
    help="Trident: three production backends on one shared core.", no_args_is_help=True
)
console = Console(stderr=True)

AppName = Annotated[str, typer.Argument(help=f"One of: {', '.join(APPS)}")]


def _migrate(name: str) -> None:
    spec = get_app(name)
    settings = spec.settings()
    upgrade(spec.migrations_dir, settings.database_url)
    console.print(f"[green]{name}[/]: database at head ({_safe_url(settings.database_url)})")


def _safe_url(url: str) -> str:
    if "@" in url:  # hide the password in postgresql://user:pass@host
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _seed(name: str) -> None:
    spec = get_app(name)
    for line in asyncio.run(spec.module("commands").seed(spec.settings())):
        console.print(f"[cyan]{name}[/]: {line}")


@cli.command()
def migrate(app: AppName) -> None:
    """Upgrade the app's database to the newest migration."""
    _migrate(app)


@cli.command()
def makemigration(app: AppName, message: Annotated[str, typer.Argument()]) -> None:
    """Autogenerate a migration from the app's models (developers)."""
    spec = get_app(app)
    revision(spec.migrations_dir, spec.settings().database_url, message)


@cli.command()
def seed(app: AppName) -> None:
    """Load the app's demo data (once; a second run changes nothing)."""
    _migrate(app)
    _seed(app)


@cli.command("create-admin")
def create_admin(
    app: AppName,
    email: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create the app's top administrator, or promote an existing account."""
    spec = get_app(app)
    _migrate(app)
    console.print(
        asyncio.run(spec.module("commands").ensure_admin(spec.settings(), email, password))
    )


@cli.command()
def serve(
    app: Annotated[str, typer.Argument(help=f"all, or one of: {', '.join(APPS)}")] = "all",
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default: the app's own)")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    demo: Annotated[bool, typer.Option(help="Load demo data once before serving")] = False,
) -> None:
    """Serve one app, or all of them. An embedded (SQLite) database is migrated first."""
    if app == "all":
        _serve_all(host, demo)
        return
    import uvicorn

    spec = get_app(app)
    settings = spec.settings()
    if settings.is_sqlite:
        _migrate(app)
    if demo:
        _seed(app)
    admin_password = settings.admin_password.get_secret_value()
    if settings.admin_email and admin_password:
        message = asyncio.run(
            spec.module("commands").ensure_admin(settings, settings.admin_email, admin_password)
        )
        console.print(f"[cyan]{app}[/]: {message}")
    # uvicorn drains on SIGINT/SIGTERM and then re-raises the signal it caught; with
    # these handlers that re-raise is a clean exit 0, not a death by signal (130, 143)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, _exit_cleanly)
    uvicorn.run(
        spec.factory,
        factory=True,
        host=host,
        port=port or spec.port,
        workers=workers,
        proxy_headers=True,
        log_config=None,
        timeout_graceful_shutdown=30,
    )


#: how a child that was asked to stop may end: on its own, or by the signal it was sent
CLEAN_EXITS = {0, -signal.SIGTERM, -signal.SIGINT}


def _exit_cleanly(*_: object) -> None:
    raise SystemExit(0)


def _serve_all(host: str, demo: bool) -> None:
    children: list[subprocess.Popen[bytes]] = []
    for name in APPS:
        command = [sys.executable, "-m", "trident.cli", "serve", name, "--host", host]
        if demo:
            command.append("--demo")
        children.append(subprocess.Popen(command))  # noqa: S603  (our own interpreter and CLI)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
    for name, spec in APPS.items():
        console.print(f"[bold green]{name}[/]: http://{shown}:{spec.port}/docs")

    def stop(*_: object) -> None:
        for child in children:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    # Ctrl-C reaches the children too (one process group): each drains on its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    codes = [child.wait() for child in children]
    failed = [code for code in codes if code not in CLEAN_EXITS]
    raise typer.Exit(failed[0] if failed else 0)


@cli.command()
def worker(
    app: AppName,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Run the app's background jobs from the Redis queue (needs REDIS_URL)."""
    from taskiq.cli.worker.args import WorkerArgs
    from taskiq.cli.worker.run import run_worker

    spec = get_app(app)
    if not spec.settings().redis_url:
        console.print(
            f"[red]{app}[/]: REDIS_URL is not set. Without it jobs run inside the web process "
            "and no worker is needed."
        )
        raise typer.Exit(2)
    code = run_worker(
        WorkerArgs(broker=spec.broker_factory, modules=[], workers=workers, configure_logging=True)
    )
    raise typer.Exit(code or 0)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

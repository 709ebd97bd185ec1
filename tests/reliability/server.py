"""A real ``trident serve APP`` process on loopback, for tests that need one.

It starts the CLI exactly as an operator would (a child process, configured by
environment variables only), waits for ``/ready``, reads the process's resident
memory from ``/proc``, and stops it with SIGTERM.  It also makes the databases such
a server runs on: a SQLite file, or a fresh PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import asyncpg
import httpx

from trident.apps.registry import get_app

#: variables of the caller's shell that would change how the server behaves
_CLEARED_NAMES = ("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "DATA_DIR", "PUBLIC_URL")


def free_port() -> int:
    """A port nothing listens on now (the OS picks it when we bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def trident_command() -> list[str]:
    """The ``trident`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("trident")
    return [str(script)] if script.exists() else [sys.executable, "-m", "trident.cli"]


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def server_env(
    app: str,
    *,
    database_url: str,
    data_dir: Path,
    redis_url: str = "",
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a server process: the caller's, minus anything that would
    point it at another database or Redis, plus the given settings."""
    prefix = f"{app.upper()}_"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(prefix) and k not in _CLEARED_NAMES and not k.startswith("STRIPE_")
    }
    env.update(
        {
            f"{prefix}DATABASE_URL": database_url,
            f"{prefix}REDIS_URL": redis_url,
            "DATA_DIR": str(data_dir),
            "ENVIRONMENT": "development",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_ENABLED": "false",
            "AI_STREAM_DELAY": "0",
            "JOB_RETRY_BACKOFF": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def migrate(app: str, env: dict[str, str], cwd: Path) -> None:
    """``trident migrate APP`` (``serve`` migrates SQLite by itself, never PostgreSQL)."""
    done = subprocess.run(
        [*trident_command(), "migrate", app],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"trident migrate {app} failed:\n{done.stdout}\n{done.stderr}")


@dataclass
class ServerProcess:
    app: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        """Resident memory of the server process (VmRSS), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError(f"no VmRSS for process {self.pid}")

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def terminate(self) -> None:
        """Ask for a graceful shutdown, as an orchestrator does."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    async def wait(self, timeout: float) -> int | None:
        """The exit code, or None if the process is still running after ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.process.poll()

    async def stop(self, timeout: float = 40.0) -> int:
        """SIGTERM, then SIGKILL if the drain takes longer than ``timeout``."""
        self.terminate()
        code = await self.wait(timeout)
        if code is None:
            self.process.kill()
            code = self.process.wait()
        self._log.close()
        return code


async def wait_ready(server: ServerProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=server.base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"{server.app} server exited with {server.process.returncode} before it was "
                    f"ready:\n{server.log_tail()}"
                )
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{server.app} server not ready after {timeout} s:\n{server.log_tail()}")


async def start_server(
    app: str, env: dict[str, str], workdir: Path, *, ready_timeout: float = 60.0
) -> ServerProcess:
    """``trident serve APP --port <free port>``, started and ready.

    ``workdir`` is the process's working directory (so no ``.env`` of the checkout is
    read) and where its log goes.  A port taken between choosing and binding it is
    retried with another one.
    """
    get_app(app)  # an unknown app fails here, not in the child
    workdir.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        port = free_port()
        log_path = workdir / f"{app}-server-{port}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [*trident_command(), "serve", app, "--host", "127.0.0.1", "--port", str(port)],
            env={**env, "PUBLIC_URL": f"http://127.0.0.1:{port}"},
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = ServerProcess(app, port, process, log_path, log)
        try:
            await wait_ready(server, ready_timeout)
            return server
        except Exception:
            await server.stop(timeout=5)
            if attempt < 2 and "address already in use" in server.log_tail().lower():
                continue
            raise
    raise AssertionError("unreachable")


# -- PostgreSQL databases ---------------------------------------------------------------


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?", 1)[0]


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    prefix, _, rest = url.rpartition("/")
    query = "?" + rest.split("?", 1)[1] if "?" in rest else ""
    return f"{prefix}/{name}{query}"


async def create_pg_database(url: str, *, replace: bool = True) -> bool:
    """Create the database ``url`` names (through the server's ``postgres`` database).

    With ``replace`` an existing one is dropped first; otherwise it is kept.  True when
    a database was created."""
    name = database_name(url)
    conn = await asyncpg.connect(_asyncpg_dsn(with_database(url, "postgres")))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and not replace:
            return False
        if exists:
            await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_pg_database(url: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(with_database(url, "postgres")))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    finally:
        await conn.close()

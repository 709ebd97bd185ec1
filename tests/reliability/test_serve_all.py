"""``trident serve all`` (what ``make serve`` runs): Ctrl-C stops every app and the
command exits 0; the demo accounts are printed on every start, not only the first."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.reliability import server as servers
from trident.apps.registry import APPS


def _in_use(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
    except OSError:
        return False
    return True


def _start(tmp: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*servers.trident_command(), "serve", "all", "--demo"],
        env=env,
        cwd=tmp,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )


async def _all_ready(ports: list[int], timeout: float = 90.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient(timeout=2.0) as client:
        for port in ports:
            while True:
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if loop.time() > deadline:
                    raise TimeoutError(f"port {port} not ready")
                await asyncio.sleep(0.2)


def _serve_once(tmp: Path, env: dict[str, str]) -> tuple[int, str]:
    process = _start(tmp, env)
    try:
        asyncio.run(_all_ready([spec.port for spec in APPS.values()]))
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
        output, _ = process.communicate(timeout=60)
    return process.returncode, output


@pytest.mark.skipif(
    any(_in_use(spec.port) for spec in APPS.values()),
    reason="an app's port is taken (make serve running?)",
)
def test_ctrl_c_stops_every_app_and_exits_0_and_demo_accounts_show_each_time(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_DATABASE_URL") and not k.endswith("REDIS_URL") and k != "DATA_DIR"
    }
    env.update({"DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"})
    first_code, first = _serve_once(tmp_path, env)
    second_code, second = _serve_once(tmp_path, env)
    assert (first_code, second_code) == (0, 0), first + second
    for output in (first, second):
        assert output.count("demo users (password DemoPass123!)") == len(APPS)
    assert "demo data already present" in second
    assert _api_key(first) == _api_key(second) is not None


def _api_key(output: str) -> str | None:
    for line in output.splitlines():
        if "demo API key for X-API-Key: " in line:
            return line.rsplit(": ", 1)[1].strip()
    return None

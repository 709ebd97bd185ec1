"""A server under test: uvicorn, one worker, pinned to one core, same flags for all."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from tests.reliability.server import free_port

REPO = Path(__file__).resolve().parent.parent
#: identical for the baselines and every app, so the ratio compares code, not flags
UVICORN_FLAGS = [
    "--factory", "--workers", "1", "--loop", "uvloop", "--http", "httptools",
    "--log-level", "warning", "--no-access-log", "--backlog", "4096",
]  # fmt: skip


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@contextlib.contextmanager
def serving(
    factory: str, *, core: int, env: dict[str, str], ready_path: str, workdir: Path
) -> Iterator[tuple[str, int]]:
    """``(base_url, pid)`` of ``uvicorn factory`` pinned to ``core``, until the block ends."""
    port = free_port()
    log = (workdir / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [
            "taskset",
            "-c",
            str(core),
            sys.executable,
            "-m",
            "uvicorn",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *UVICORN_FLAGS,
        ],
        # the work directory holds no .env of the checkout; the checkout is on the path
        env={**env, "PYTHONPATH": os.environ.get("BENCH_EXTRA_PATH", "") + ":" + str(REPO)},
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{factory} exited: {(workdir / log.name).read_text()[-2000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(base_url + ready_path, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{factory} not ready after 60 s")
            time.sleep(0.1)
        yield base_url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()

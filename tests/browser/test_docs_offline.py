"""Swagger UI and ReDoc render with no internet (issue 12, part 3).

Each app runs as a real ``trident serve`` process; Debian's chromium, driven by
playwright, opens ``/docs`` and ``/redoc`` with every request to another host
aborted, and must see the operation list rendered.  Without chromium the test says
it skipped (``.ci/run`` installs it: ``apt-get install chromium``).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import BACKEND
from tests.reliability import server as servers
from trident.apps.registry import APPS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        BACKEND == "postgres", reason="the pages do not depend on the database: SQLite pass only"
    ),
]


async def _render(base_url: str, path: str, selector: str) -> tuple[int, list[str]]:
    """How many ``selector`` elements the page shows, and which foreign hosts it asked."""
    from playwright.async_api import async_playwright

    foreign: list[str] = []
    local = urlsplit(base_url).netloc
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()

            async def only_local(route, request) -> None:  # type: ignore[no-untyped-def]
                if urlsplit(request.url).netloc in (local, ""):
                    await route.continue_()
                else:
                    foreign.append(request.url)
                    await route.abort()

            await page.route("**/*", only_local)
            await page.goto(base_url + path, wait_until="networkidle")
            await page.wait_for_selector(selector, timeout=20_000)
            count = await page.locator(selector).count()
        finally:
            await browser.close()
    return count, foreign


@pytest.mark.parametrize("app", list(APPS))
def test_docs_render_offline(app: str, tmp_path: Path) -> None:
    async def scenario() -> tuple[tuple[int, list[str]], tuple[int, list[str]]]:
        env = servers.server_env(
            app, database_url=servers.sqlite_url(tmp_path / f"{app}.db"), data_dir=tmp_path
        )
        server = await servers.start_server(app, env, tmp_path)
        try:
            swagger = await _render(server.base_url, "/docs", ".opblock")
            redoc = await _render(server.base_url, "/redoc", "[data-section-id^='operation/']")
        finally:
            await server.stop()
        return swagger, redoc

    (operations, swagger_foreign), (sections, redoc_foreign) = asyncio.run(scenario())
    assert swagger_foreign == [] and redoc_foreign == []
    assert operations > 10, "Swagger UI rendered no operation list"
    assert sections > 10, "ReDoc rendered no operations"

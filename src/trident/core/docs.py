"""Swagger UI and ReDoc served by the app itself, so both work with no internet.

FastAPI's own pages load their scripts, styles, fonts and favicon from
cdn.jsdelivr.net, fonts.googleapis.com and fastapi.tiangolo.com: blank on a CI runner,
a laptop on a plane or a locked-down server.  The assets here are the builds shipped
in the ``fastapi-offline`` package (Swagger UI's bundle and CSS, ReDoc's standalone
build, a favicon), served from ``/docs/static``; ReDoc is told not to fetch Google
Fonts, and a Content-Security-Policy keeps both pages on this host.  No page of any
app asks another host for anything.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
STATIC_URL = "/docs/static"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS = Path(str(files("fastapi_offline") / "static"))

#: the pages may load from this app only.  ReDoc's sidebar credit carries a logo from
#: cdn.redoc.ly (no option turns it off): the browser now refuses it without asking
#: the network, and ReDoc hides the image.  Swagger UI's page boots from an inline
#: script; ReDoc's search runs in a blob: worker.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    )
)
#: Swagger UI would send the document to validator.swagger.io for its badge
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page


def install_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` from local assets; the app must be built
    with ``docs_url=None, redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="docs-static")

    def rooted(request: Request, path: str) -> str:
        """``path`` under the app's mount point (uvicorn ``--root-path``)."""
        return f"{request.scope.get('root_path', '')}{path}"

    def asset(request: Request, name: str) -> str:
        return rooted(request, f"{STATIC_URL}/{name}")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return _local_only(
            get_swagger_ui_html(
                openapi_url=rooted(request, openapi_url),
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=rooted(request, OAUTH2_REDIRECT_URL),
                swagger_js_url=asset(request, "swagger-ui-bundle.js"),
                swagger_css_url=asset(request, "swagger-ui.css"),
                swagger_favicon_url=asset(request, "favicon.png"),
                swagger_ui_parameters={
                    **SWAGGER_UI_PARAMETERS,
                    **(app.swagger_ui_parameters or {}),
                },
            )
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return _local_only(
            get_redoc_html(
                openapi_url=rooted(request, openapi_url),
                title=f"{app.title} - ReDoc",
                redoc_js_url=asset(request, "redoc.standalone.js"),
                redoc_favicon_url=asset(request, "favicon.png"),
                with_google_fonts=False,
            )
        )

"""The ceilings every figure is read against, served with the same uvicorn flags.

``raw``: a bare ASGI callable answering pre-encoded JSON (what the server stack
itself costs).  ``fastapi``: a FastAPI route returning a small dict (what the
framework adds).  A Trident scenario is reported as a fraction of ``fastapi``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

_BODY = b'{"id":1,"name":"baseline","active":true}'
_HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())]


async def _raw(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _BODY})


def create_raw_app() -> Any:
    return _raw


def create_fastapi_app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def item() -> dict[str, Any]:
        return {"id": 1, "name": "baseline", "active": True}

    return app

"""``GET /files/{key}``: the local store's files, behind signed links or public flags.

A request with any of ``expires``, ``filename`` or ``signature`` is a signed link and
must carry a genuine, unexpired signature; one with none of them may fetch only a
file stored as public.  The signature is checked before the disk is touched, so a
forged link learns nothing about which files exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from trident.core.clock import unix_time
from trident.core.errors import Forbidden, NotFound
from trident.core.storage.base import PUBLIC_CACHE_CONTROL
from trident.core.storage.disposition import attachment_disposition
from trident.core.storage.local import LocalFile, LocalFileStorage

# Uploaded bytes are served from the app's own origin: never let a browser sniff them
# into HTML, and sandbox anything it renders anyway.
_SAFETY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
#: longer than any expiry a link is made with; bounds the cost of int()
_MAX_EXPIRES_DIGITS = 12

Expires = Annotated[
    str | None, Query(description="When the link stops working, in seconds since the epoch")
]
Filename = Annotated[str | None, Query(description="The name the download is saved under")]
Signature = Annotated[str | None, Query(description="HMAC-SHA256 of the key, expiry and filename")]


def _invalid_link() -> Forbidden:
    return Forbidden("The download link is invalid.", code="invalid_signature")


def local_files_router(
    storage: LocalFileStorage,
    prefix: str | None = None,
    *,
    error_model: type[BaseModel] | None = None,
) -> APIRouter:
    """The route serving ``storage``'s files at ``prefix`` (the storage's own by default);
    ``error_model`` documents the app's error envelope on the 403 and 404 answers."""
    prefix = storage.url_prefix if prefix is None else prefix.rstrip("/")
    if prefix != storage.url_prefix:
        # The links the storage hands out must point at this route.
        raise ValueError(f"prefix {prefix!r} differs from the storage's {storage.url_prefix!r}")
    router = APIRouter(prefix=prefix, tags=["files"], include_in_schema=True)
    error: dict[str, Any] = {"model": error_model} if error_model else {}
    responses: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "The file's exact bytes, with its stored content type",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        403: {**error, "description": "The link's signature is missing, wrong or expired"},
        404: {**error, "description": "No file is stored under this key"},
    }

    async def serve(
        key: str, expires: Expires = None, filename: Filename = None, signature: Signature = None
    ) -> Response:
        """The bytes behind a signed link, or a public file's without one."""
        if expires is None and filename is None and signature is None:
            found, cache_control = await _public_file(storage, key), PUBLIC_CACHE_CONTROL
        else:
            seconds_left = _check_link(storage, key, expires, filename, signature)
            found = await storage.locate(key)
            cache_control = f"private, max-age={seconds_left}"
        if found is None:
            raise NotFound("The file does not exist.")
        headers = {
            "Content-Type": found.content_type,
            "Cache-Control": cache_control,
            **_SAFETY_HEADERS,
        }
        if filename:
            headers["Content-Disposition"] = attachment_disposition(filename)
        # FileResponse streams in chunks off the event loop, answers HEAD and Range.
        return FileResponse(found.path, headers=headers, stat_result=found.stat)

    # Two routes rather than one with both methods: each gets its own operation id.
    for method, name, summary in (
        ("GET", "download_file", "Download a stored file"),
        ("HEAD", "file_headers", "A stored file's headers, without its bytes"),
    ):
        router.add_api_route(
            "/{key:path}",
            serve,
            methods=[method],
            name=name,
            summary=summary,
            response_class=Response,
            responses=responses,
        )
    return router


async def _public_file(storage: LocalFileStorage, key: str) -> LocalFile | None:
    found = await storage.locate(key)
    if found is not None and not found.public:
        raise _invalid_link()
    return found


def _check_link(
    storage: LocalFileStorage,
    key: str,
    expires: str | None,
    filename: str | None,
    signature: str | None,
) -> int:
    """The link's seconds left; ``Forbidden`` unless it is genuine and unexpired."""
    if expires is None or signature is None:
        raise _invalid_link()
    if not (expires.isascii() and expires.isdigit() and len(expires) <= _MAX_EXPIRES_DIGITS):
        raise _invalid_link()
    expires_at = int(expires)
    if not storage.link_is_genuine(key, expires_at, filename or None, signature):
        raise _invalid_link()
    seconds_left = expires_at - unix_time()
    if seconds_left <= 0:
        raise Forbidden("The download link has expired.", code="link_expired")
    return int(seconds_left)

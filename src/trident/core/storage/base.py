"""What every file store offers the apps: one protocol, one value type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

#: a key is never rewritten (each put makes a new one), so its bytes can be cached for good
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file just stored: its generated key, size in bytes, content type and SHA-256 (hex)."""

    key: str
    size: int
    content_type: str
    sha256: str


class FileStorage(Protocol):
    """Bytes kept under generated keys, handed out through expiring or public URLs.

    Keys come only from :meth:`put` (``{folder}/{random hex}{extension}``); a key that
    does not have that shape is refused with ``ValueError`` by every operation.
    """

    #: the provider that answers ("local" or "s3"), for responses that say so
    name: str

    async def put(
        self,
        data: bytes,
        *,
        folder: str,
        extension: str,
        content_type: str,
        public: bool = False,
    ) -> StoredFile:
        """Store ``data`` under a new unique key."""

    async def read(self, key: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` when there are none."""

    async def delete(self, key: str) -> None:
        """Remove the file; deleting a missing one is not an error."""

    async def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""

    async def download_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        filename: str | None = None,
        base_url: str,
    ) -> str:
        """A URL serving the exact bytes until it expires, as an attachment named
        ``filename`` when one is given; ``base_url`` is the app's origin."""

    async def public_url(self, key: str, *, base_url: str) -> str:
        """A lasting URL of a file stored with ``public=True``: ``CDN_URL/{key}`` when a
        CDN is configured."""

"""Files in a local directory, downloaded through HMAC-signed expiring links.

The embedded default: the app itself serves the files (see ``local_routes``).  Each
file has a ``.meta`` sidecar (JSON: content type, public flag, size, SHA-256) that is
written after the bytes and removed before them, so it doubles as the commit marker:
a file exists once its sidecar does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from trident.core.clock import unix_time
from trident.core.storage.base import StoredFile
from trident.core.storage.keys import checked_content_type, checked_key, new_key
from trident.core.storage.signing import link_signature, signature_matches

#: where the app serves the files (``local_files_router``)
FILES_PREFIX = "/files"


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A stored file as the download route serves it."""

    path: Path
    content_type: str
    public: bool
    stat: os.stat_result


class LocalFileStorage:
    """Files under ``root``; downloads are ``{base_url}/files/{key}?expires=&signature=``.

    ``public_url`` is the same route without a signature, which serves only files
    stored with ``public=True``.  A signed URL would have to expire and would change on
    every call; an avatar URL kept in a profile must stay valid and stay the same so
    browsers cache it.  Keys are 128-bit random, so an unsigned URL reveals nothing that
    was not handed out.
    """

    name = "local"

    def __init__(
        self,
        root: Path,
        signing_secret: str,
        *,
        cdn_url: str = "",
        url_prefix: str = FILES_PREFIX,
    ) -> None:
        if not signing_secret:
            raise ValueError("local file storage needs a signing secret")
        self.root = root
        self.cdn_url = cdn_url.rstrip("/")
        self.url_prefix = url_prefix.rstrip("/")
        self._secret = signing_secret.encode()

    async def put(
        self,
        data: bytes,
        *,
        folder: str,
        extension: str,
        content_type: str,
        public: bool = False,
    ) -> StoredFile:
        """Store ``data`` under a new unique key, atomically."""
        key = new_key(folder, extension)
        checked_content_type(content_type)
        return await asyncio.to_thread(self._write, key, data, content_type, public)

    async def read(self, key: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` when there are none."""
        return await asyncio.to_thread(self._read, key)

    async def delete(self, key: str) -> None:
        """Remove the file and its sidecar; a missing file is not an error."""
        await asyncio.to_thread(self._delete, key)

    async def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""
        return await self.locate(checked_key(key)) is not None

    async def download_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        filename: str | None = None,
        base_url: str,
    ) -> str:
        """A signed link to the file, valid for ``expires_in``."""
        checked_key(key)
        seconds = int(expires_in.total_seconds())
        if seconds < 1:
            raise ValueError("a download link must be valid for at least one second")
        expires = int(unix_time()) + seconds
        query = {"expires": str(expires)}
        if filename:
            query["filename"] = filename
        query["signature"] = link_signature(self._secret, key, expires, filename or None)
        return f"{self._file_url(key, base_url)}?{urlencode(query, quote_via=quote)}"

    async def public_url(self, key: str, *, base_url: str) -> str:
        """``CDN_URL/{key}``, else the unsigned route (serving public files only)."""
        checked_key(key)
        return f"{self.cdn_url}/{key}" if self.cdn_url else self._file_url(key, base_url)

    # -- for the download route --------------------------------------------------------
    def link_is_genuine(self, key: str, expires: int, filename: str | None, signature: str) -> bool:
        """Whether the link's signature covers exactly this key, expiry and filename."""
        return signature_matches(self._secret, key, expires, filename, signature)

    async def locate(self, key: str) -> LocalFile | None:
        """The file stored under ``key``, or None (also for a key of the wrong shape)."""
        return await asyncio.to_thread(self._locate, key)

    # -- blocking work, run in a thread -----------------------------------------------
    def _path(self, key: str) -> Path:
        checked_key(key)
        root = self.root.resolve()
        path = (root / key).resolve()
        # The key's shape already rules out "..": this also catches a symlinked folder.
        if not path.is_relative_to(root):
            raise ValueError(f"storage key {key!r} leaves the storage root")
        return path

    def _write(self, key: str, data: bytes, content_type: str, public: bool) -> StoredFile:
        path = self._path(key)
        stored = StoredFile(
            key=key,
            size=len(data),
            content_type=content_type,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        meta = {
            "content_type": content_type,
            "public": public,
            "size": stored.size,
            "sha256": stored.sha256,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, data)
        _write_atomically(_sidecar(path), json.dumps(meta).encode())
        return stored

    def _read(self, key: str) -> bytes:
        path = self._path(key)
        if not _sidecar(path).is_file():
            raise FileNotFoundError(key)
        return path.read_bytes()

    def _delete(self, key: str) -> None:
        path = self._path(key)
        _sidecar(path).unlink(missing_ok=True)
        path.unlink(missing_ok=True)

    def _locate(self, key: str) -> LocalFile | None:
        try:
            path = self._path(key)
            meta = json.loads(_sidecar(path).read_bytes())
            stat = path.stat()
        except (ValueError, FileNotFoundError):
            return None
        return LocalFile(
            path=path, content_type=meta["content_type"], public=meta["public"], stat=stat
        )

    def _file_url(self, key: str, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{self.url_prefix}/{key}"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see all or nothing."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO) through boto3.

Downloads are presigned ``get_object`` URLs that the store itself serves, with the
download filename signed into ``response-content-disposition``.  Public files are
reached through ``CDN_URL`` (a CDN or the bucket's public domain in front of it);
no object ACLs are set, since R2 has none and AWS disables them on new buckets.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from trident.core.storage.base import PUBLIC_CACHE_CONTROL, StoredFile
from trident.core.storage.disposition import attachment_disposition
from trident.core.storage.keys import checked_content_type, checked_key, new_key

#: the longest a SigV4 presigned URL may live
MAX_PRESIGNED_LIFETIME = timedelta(days=7)
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3FileStorage:
    """Files in ``bucket``; every call that talks to the store runs in a thread."""

    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        access_key: str,
        secret_key: str,
        endpoint_url: str = "",
        region: str = "auto",
        cdn_url: str = "",
    ) -> None:
        self.bucket = bucket
        self.cdn_url = cdn_url.rstrip("/")
        config = Config(
            signature_version="s3v4",
            # Bucket-in-hostname needs DNS per bucket, which MinIO and most self-hosted
            # stores lack; AWS itself picks the style it wants.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # Newer boto3 adds CRC checksums to every upload by default, which some
            # S3-compatible stores refuse; only send them where the API requires them.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": 3},
        )
        # "auto" is R2's region; against AWS itself it would name no region at all.
        region_name = region if region and (endpoint_url or region != "auto") else None
        # A session of its own: the process-wide default session is not thread-safe,
        # while a client is, and calls run on the thread pool.
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region_name,
            config=config,
        )

    async def put(
        self,
        data: bytes,
        *,
        folder: str,
        extension: str,
        content_type: str,
        public: bool = False,
    ) -> StoredFile:
        """Upload ``data`` under a new unique key."""
        key = new_key(folder, extension)
        checked_content_type(content_type)
        return await asyncio.to_thread(self._put, key, data, content_type, public)

    async def read(self, key: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` when there are none."""
        checked_key(key)
        return await asyncio.to_thread(self._read, key)

    async def delete(self, key: str) -> None:
        """Remove the object; S3 answers a missing one like any other."""
        checked_key(key)
        await asyncio.to_thread(self._client.delete_object, Bucket=self.bucket, Key=key)

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        checked_key(key)
        try:
            await asyncio.to_thread(self._client.head_object, Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    async def download_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        filename: str | None = None,
        base_url: str,
    ) -> str:
        """A presigned URL of the object, valid for ``expires_in`` (at most seven days)."""
        checked_key(key)
        seconds = int(expires_in.total_seconds())
        if not 1 <= seconds <= MAX_PRESIGNED_LIFETIME.total_seconds():
            raise ValueError("a presigned URL must be valid for one second to seven days")
        params = {"Bucket": self.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = attachment_disposition(filename)
        # Presigning is local HMAC work with the static keys given above: no I/O to
        # move off the event loop.
        url: str = self._client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=seconds
        )
        return url

    async def public_url(self, key: str, *, base_url: str) -> str:
        """``CDN_URL/{key}``, else a presigned URL that lasts the longest S3 allows."""
        checked_key(key)
        if self.cdn_url:
            return f"{self.cdn_url}/{key}"
        return await self.download_url(key, expires_in=MAX_PRESIGNED_LIFETIME, base_url=base_url)

    def _put(self, key: str, data: bytes, content_type: str, public: bool) -> StoredFile:
        sha256 = hashlib.sha256(data).hexdigest()
        extra = {"CacheControl": PUBLIC_CACHE_CONTROL} if public else {}
        self._client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            Metadata={"sha256": sha256},
            **extra,
        )
        return StoredFile(key=key, size=len(data), content_type=content_type, sha256=sha256)

    def _read(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        body: bytes = response["Body"].read()
        return body


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING_CODES

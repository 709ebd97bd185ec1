"""The file store an app's settings call for."""

from __future__ import annotations

from trident.core.config import CoreSettings
from trident.core.storage.base import FileStorage
from trident.core.storage.local import LocalFileStorage
from trident.core.storage.s3 import S3FileStorage


def create_file_storage(settings: CoreSettings) -> FileStorage:
    """S3 when a bucket and its keys are configured, else a local directory."""
    secret_key = settings.s3_secret_access_key.get_secret_value()
    if settings.s3_bucket and settings.s3_access_key_id and secret_key:
        return S3FileStorage(
            bucket=settings.s3_bucket,
            access_key=settings.s3_access_key_id,
            secret_key=secret_key,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            cdn_url=settings.cdn_url,
        )
    return LocalFileStorage(
        settings.data_dir / "files" / settings.app_name,
        settings.secret("file_signing_secret"),
        cdn_url=settings.cdn_url,
    )

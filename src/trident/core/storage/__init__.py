"""File storage behind one interface: a local directory (embedded) and S3-compatible stores."""

from trident.core.storage.base import PUBLIC_CACHE_CONTROL, FileStorage, StoredFile
from trident.core.storage.disposition import attachment_disposition
from trident.core.storage.factory import create_file_storage
from trident.core.storage.local import FILES_PREFIX, LocalFile, LocalFileStorage
from trident.core.storage.local_routes import local_files_router
from trident.core.storage.s3 import MAX_PRESIGNED_LIFETIME, S3FileStorage

__all__ = [
    "FILES_PREFIX",
    "MAX_PRESIGNED_LIFETIME",
    "PUBLIC_CACHE_CONTROL",
    "FileStorage",
    "LocalFile",
    "LocalFileStorage",
    "S3FileStorage",
    "StoredFile",
    "attachment_disposition",
    "create_file_storage",
    "local_files_router",
]

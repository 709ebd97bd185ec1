from trident.core.db.base import (
    NAMING_CONVENTION,
    CreatedAtMixin,
    TimestampMixin,
    UTCDateTime,
    make_base,
)
from trident.core.db.engine import Database

__all__ = [
    "NAMING_CONVENTION",
    "CreatedAtMixin",
    "Database",
    "TimestampMixin",
    "UTCDateTime",
    "make_base",
]

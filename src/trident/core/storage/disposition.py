"""The ``Content-Disposition`` of a download (RFC 6266, with RFC 5987 for non-ASCII)."""

from __future__ import annotations

import re
from urllib.parse import quote

# Control characters, quotes and path separators would break the quoted string or
# let a browser save outside the download folder.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]')


def attachment_disposition(filename: str) -> str:
    """``attachment; filename="..."``, plus ``filename*`` when the name is not plain ASCII."""
    name = _UNSAFE.sub("_", filename).strip() or "download"
    fallback = "".join(char if char.isascii() else "_" for char in name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"

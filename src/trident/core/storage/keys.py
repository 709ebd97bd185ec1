"""Storage keys: generated, never taken from user input, confined to a strict shape.

A key is ``{folder}/{32 hex digits}{extension}``: lower-case folder segments, a
random name and exactly one extension.  Nothing with ``..``, a leading ``/`` or a
backslash can match, so a key can never leave the storage root; and the local
store's own files, ``.meta`` sidecars (two extensions) and temporary files (a
leading dot), are never keys.
"""

from __future__ import annotations

import re
import secrets

FOLDER = r"[a-z0-9][a-z0-9_-]{0,63}(?:/[a-z0-9][a-z0-9_-]{0,63}){0,3}"
EXTENSION = r"\.[a-z0-9]{1,16}"
KEY = rf"{FOLDER}/[0-9a-f]{{32}}{EXTENSION}"
#: ``type/subtype`` with optional simple parameters; ASCII only, so it is a valid header
CONTENT_TYPE = (
    r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(?:; ?[a-z0-9_-]+=[a-z0-9_.-]+)*"
)

_FOLDER = re.compile(FOLDER)
_EXTENSION = re.compile(EXTENSION)
_KEY = re.compile(KEY)
_CONTENT_TYPE = re.compile(CONTENT_TYPE, re.IGNORECASE)


def new_key(folder: str, extension: str) -> str:
    """A fresh unique key in ``folder`` (``models/thumbs``) ending in ``extension`` (``.png``)."""
    if not _FOLDER.fullmatch(folder):
        raise ValueError(f"invalid storage folder {folder!r}")
    # "Model.STL" is an everyday upload name; the case of its extension means nothing.
    extension = extension.lower()
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"invalid file extension {extension!r}")
    return f"{folder}/{secrets.token_hex(16)}{extension}"


def checked_key(key: str) -> str:
    """``key`` itself when it has the shape of a generated key, else ``ValueError``."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def checked_content_type(content_type: str) -> str:
    """``content_type`` itself when it is a plain media type, else ``ValueError``."""
    if not _CONTENT_TYPE.fullmatch(content_type):
        raise ValueError(f"invalid content type {content_type!r}")
    return content_type

"""HMAC-SHA256 signatures of the local store's download links."""

from __future__ import annotations

import hashlib
import hmac

# Bumping the version invalidates every link handed out under the old message format.
_PURPOSE = "trident-file-link-v1"


def link_signature(secret: bytes, key: str, expires: int, filename: str | None) -> str:
    """The hex signature binding a key, its expiry and its download filename together."""
    # A key has no newline and the expiry is digits, so the filename, last, cannot
    # shift the boundaries between the parts.
    message = "\n".join((_PURPOSE, key, str(expires), filename or ""))
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def signature_matches(
    secret: bytes, key: str, expires: int, filename: str | None, signature: str
) -> bool:
    """Whether ``signature`` is the one :func:`link_signature` makes, compared in constant time."""
    expected = link_signature(secret, key, expires, filename)
    # Bytes, not str: compare_digest refuses non-ASCII text, and a client may send any.
    return hmac.compare_digest(expected.encode(), signature.encode())

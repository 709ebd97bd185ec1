"""Field-level encryption at rest, still searchable by exact value.

A column declared ``EncryptedText("hibachi")`` stores Fernet tokens (AES-128-CBC +
HMAC-SHA256, a random IV per value) and reads back plain text; the key comes from
the app's settings when its runtime starts (:func:`install_field_cipher`), never at
import.  Because the same value encrypts differently every time, a column that must
be looked up by exact value keeps a *blind index* beside it: an HMAC of the
normalised value under a separate key (:meth:`FieldCipher.blind_index`).  A leaked
table therefore shows neither the values nor, without the key, which rows share one.

Key rotation: the first key encrypts; every listed key decrypts (``MultiFernet``).
The blind-index key must not rotate (its hashes would stop matching) and is derived
from the first key only when no separate one is configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: marks a stored value as ours, so a plain value written by hand is not mistaken
PREFIX = "enc1:"
#: decrypted values kept per process (a few MB at most)
DECRYPT_CACHE_SIZE = 20_000


class FieldDecryptionError(ValueError):
    """A stored value cannot be decrypted with any configured key."""


def _fernet_key(secret: str) -> bytes:
    # Any configured secret (a passphrase or a Fernet key) becomes a valid 32-byte key.
    return base64.urlsafe_b64encode(hashlib.sha256(b"trident-field:" + secret.encode()).digest())


class FieldCipher:
    def __init__(self, keys: Sequence[str], index_key: str | None = None) -> None:
        if not keys or not all(keys):
            raise ValueError("field encryption needs at least one non-empty key")
        self._fernet = MultiFernet([Fernet(_fernet_key(k)) for k in keys])
        self._index_key = hashlib.sha256(
            b"trident-index:" + (index_key or keys[0]).encode()
        ).digest()
        # Lists show the same customers again and again; a token decrypts to the same
        # value every time (each encryption has its own IV, so equal values do not
        # share a token), and AES plus the HMAC check were a third of a list page.
        self._decrypt_cached = lru_cache(maxsize=DECRYPT_CACHE_SIZE)(self._decrypt)

    def encrypt(self, value: str) -> str:
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            raise FieldDecryptionError("the stored value is not an encrypted field")
        return self._decrypt_cached(stored)

    def _decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken:
            raise FieldDecryptionError("no configured key decrypts this value")

    def rotate(self, stored: str) -> str:
        """Re-encrypt under the first key (for a rotation job)."""
        return PREFIX + self._fernet.rotate(stored[len(PREFIX) :].encode()).decode()

    def blind_index(self, normalized: str) -> str:
        """A keyed hash of an already normalised value (lower-cased email, E.164 phone)."""
        return hmac.new(self._index_key, normalized.encode(), hashlib.sha256).hexdigest()


_CIPHERS: dict[str, FieldCipher] = {}


def install_field_cipher(keyring: str, cipher: FieldCipher) -> None:
    """Make ``cipher`` the one columns of ``keyring`` use (called by the app's runtime)."""
    _CIPHERS[keyring] = cipher


def field_cipher(keyring: str) -> FieldCipher:
    try:
        return _CIPHERS[keyring]
    except KeyError:
        raise RuntimeError(
            f"no field cipher installed for {keyring!r}: create the app's runtime first"
        )


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted under the named keyring's cipher."""

    impl = Text
    cache_ok = True

    def __init__(self, keyring: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keyring = keyring

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return field_cipher(self.keyring).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return field_cipher(self.keyring).decrypt(value)

    def copy(self, **kwargs: Any) -> EncryptedText:
        return EncryptedText(self.keyring)

    def __repr__(self) -> str:
        # what Alembic writes into a migration
        return f"EncryptedText({self.keyring!r})"

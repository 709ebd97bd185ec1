"""API keys: a readable prefix plus 40 random characters, stored only as an HMAC."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 40
DISPLAY_LENGTH = 12


def generate_api_key(prefix: str) -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_LENGTH))
    return f"{prefix}_{body}"


def derived_api_key(prefix: str, secret: str, purpose: str) -> str:
    """A key of the same shape, derived from the install's secret: the demo data's key
    is the same on every ``make serve`` of one install (so it can be shown each time
    although only its hash is stored), and unguessable without that secret."""
    digest = hmac.new(secret.encode(), f"derived-key:{purpose}".encode(), hashlib.sha512).digest()
    body = "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:SECRET_LENGTH])
    return f"{prefix}_{body}"


def display_prefix(token: str) -> str:
    """What lists show so a person can tell keys apart; reveals ~5 random chars only."""
    return token[:DISPLAY_LENGTH]


def hash_token(secret: str, token: str) -> str:
    """Keyed hash: a leaked table alone does not let anyone test guesses offline."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()

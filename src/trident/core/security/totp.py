"""TOTP multi-factor helpers (pyotp), backup codes, and QR codes as PNG data URLs."""

from __future__ import annotations

import base64
import io
import secrets

import pyotp
import segno

from trident.core.security.apikeys import hash_token

BACKUP_CODE_COUNT = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def verify_code(secret: str, code: str) -> bool:
    """Accept the current code and one step either side for clock drift."""
    code = code.strip().replace(" ", "")
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def qr_png_data_url(data: str, *, scale: int = 5) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)

    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def new_backup_codes(count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Ten codes of the form ``abcd-efgh``; shown once, stored hashed."""
    codes = []
    for _ in range(count):
        raw = secrets.token_hex(4)
        codes.append(f"{raw[:4]}-{raw[4:]}")
    return codes


def hash_backup_code(secret: str, code: str) -> str:
    return hash_token(secret, code.strip().lower().replace(" ", ""))


def consume_backup_code(secret: str, stored_hashes: list[str], code: str) -> list[str] | None:
    """The remaining hashes if ``code`` is one of them (each works once), else None."""
    candidate = hash_backup_code(secret, code)
    for i, stored in enumerate(stored_hashes):
        if secrets.compare_digest(stored, candidate):
            return stored_hashes[:i] + stored_hashes[i + 1 :]
    return None

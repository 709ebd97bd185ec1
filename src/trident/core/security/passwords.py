"""argon2id password hashing, always off the event loop.

Parameters follow OWASP's minimum for argon2id (m=19 MiB, t=2, p=1): one hash
costs tens of milliseconds of CPU, which is the point, so it runs in a thread.
"""

from __future__ import annotations

import re
from typing import Annotated

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import AfterValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified when the account does not exist, so "no such user" costs as much as
# "wrong password" and login time reveals nothing.
_DUMMY_HASH = _hasher.hash("trident-dummy-password")


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant-cost check; ``stored_hash=None`` (unknown user) always answers False."""
    if stored_hash is None:
        await anyio.to_thread.run_sync(_verify, _DUMMY_HASH, password)
        return False
    return await anyio.to_thread.run_sync(_verify, stored_hash, password)


async def verify_password_unlocked(
    db: AsyncSession, stored_hash: str | None, password: str
) -> bool:
    """:func:`verify_password` for a login, without holding the write lock while hashing.

    A write request's SQLite transaction takes the database's write lock with its
    first statement (``BEGIN IMMEDIATE``), so the user lookup already holds it; the
    tens of milliseconds of hashing would then stall every other writer.  The
    lookup's transaction is ended first (objects stay loaded) and the login's writes
    begin a new one.  Call it before the request has written anything.
    """
    if db.in_transaction():
        await db.commit()
    return await verify_password(stored_hash, password)


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


#: the strength rule, stated for clients (no look-ahead: any JSON Schema engine reads it)
PASSWORD_RULE = "^(.*[A-Za-z].*[0-9].*|.*[0-9].*[A-Za-z].*)$"


def check_password_strength(value: str) -> str:
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        raise ValueError("Password must contain at least one letter and one digit.")
    return value


#: a new password: 8-128 characters with at least one letter and one digit
NewPassword = Annotated[
    str,
    Field(min_length=8, max_length=128, json_schema_extra={"pattern": PASSWORD_RULE}),
    AfterValidator(check_password_strength),
]

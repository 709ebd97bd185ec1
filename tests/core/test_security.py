from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from trident.core.errors import Unauthorized
from trident.core.security import apikeys, totp
from trident.core.security.passwords import hash_password, verify_password
from trident.core.security.tokens import TokenCodec


async def test_password_hash_is_argon2id_and_verifies() -> None:
    hashed = await hash_password("Correct horse 1")
    assert hashed.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in hashed
    assert await verify_password(hashed, "Correct horse 1") is True
    assert await verify_password(hashed, "wrong") is False


async def test_unknown_user_verification_is_false() -> None:
    assert await verify_password(None, "anything") is False


async def test_corrupt_hash_is_false_not_error() -> None:
    assert await verify_password("not-a-hash", "x") is False


def test_token_round_trip_and_type_check() -> None:
    codec = TokenCodec("s" * 40)
    token, _ = codec.encode(7, "access", timedelta(minutes=5), sid="abc")
    claims = codec.decode(token, "access")
    assert (claims["sub"], claims["sid"], claims["typ"]) == ("7", "abc", "access")
    with pytest.raises(Unauthorized) as wrong_type:
        codec.decode(token, "refresh")
    assert wrong_type.value.code == "invalid_token"


def test_expired_token_has_its_own_code() -> None:
    codec = TokenCodec("s" * 40)
    token, _ = codec.encode(7, "access", timedelta(seconds=-5))
    with pytest.raises(Unauthorized) as exc:
        codec.decode(token, "access")
    assert exc.value.code == "token_expired"


def test_token_from_another_issuer_is_refused() -> None:
    token, _ = TokenCodec("s" * 40, issuer="hibachi").encode(1, "access", timedelta(minutes=1))
    with pytest.raises(Unauthorized):
        TokenCodec("s" * 40, issuer="saas").decode(token, "access")


def test_api_key_shape_and_hash() -> None:
    key = apikeys.generate_api_key("sk_test")
    assert re.fullmatch(r"sk_test_[A-Za-z0-9]{40}", key)
    assert apikeys.display_prefix(key) == key[:12]
    assert apikeys.hash_token("k1", key) == apikeys.hash_token("k1", key)
    assert apikeys.hash_token("k1", key) != apikeys.hash_token("k2", key)
    assert apikeys.generate_api_key("p") != apikeys.generate_api_key("p")


def test_totp_verify_accepts_current_and_rejects_junk() -> None:
    secret = totp.new_secret()
    assert totp.verify_code(secret, pyotp.TOTP(secret).now()) is True
    assert totp.verify_code(secret, "abcdef") is False
    assert totp.verify_code(secret, "12345") is False
    uri = totp.provisioning_uri(secret, "a@example.com", "Trident")
    assert uri.startswith("otpauth://totp/Trident:a%40example.com?secret=")


def test_qr_code_is_png_data_url() -> None:
    url = totp.qr_png_data_url("otpauth://totp/x?secret=ABC")
    assert url.startswith("data:image/png;base64,iVBORw0KGgo")


def test_backup_codes_work_once() -> None:
    codes = totp.new_backup_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = [totp.hash_backup_code("secret", c) for c in codes]
    remaining = totp.consume_backup_code("secret", stored, codes[3].upper())
    assert remaining is not None and len(remaining) == 9
    assert totp.consume_backup_code("secret", remaining, codes[3]) is None

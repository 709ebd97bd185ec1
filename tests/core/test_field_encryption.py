from __future__ import annotations

import pytest

from trident.core.security.fields import (
    EncryptedText,
    FieldCipher,
    FieldDecryptionError,
    install_field_cipher,
)


def test_round_trip_with_a_fresh_iv_each_time() -> None:
    cipher = FieldCipher(["first-key"])
    a, b = cipher.encrypt("jane@example.com"), cipher.encrypt("jane@example.com")
    assert a != b
    assert a.startswith("enc1:")
    assert cipher.decrypt(a) == cipher.decrypt(b) == "jane@example.com"


def test_old_keys_still_decrypt_and_rotation_moves_to_the_new_key() -> None:
    old = FieldCipher(["old-key"])
    stored = old.encrypt("+14085550100")
    rotated = FieldCipher(["new-key", "old-key"])
    assert rotated.decrypt(stored) == "+14085550100"
    moved = rotated.rotate(stored)
    assert FieldCipher(["new-key"]).decrypt(moved) == "+14085550100"


def test_a_value_no_key_opens_is_an_error_not_garbage() -> None:
    stored = FieldCipher(["one"]).encrypt("secret")
    with pytest.raises(FieldDecryptionError):
        FieldCipher(["two"]).decrypt(stored)
    with pytest.raises(FieldDecryptionError):
        FieldCipher(["one"]).decrypt("plain text")


def test_blind_index_is_stable_per_key_and_survives_key_rotation() -> None:
    first = FieldCipher(["k1"]).blind_index("jane@example.com")
    assert first == FieldCipher(["k1"]).blind_index("jane@example.com")
    assert first != FieldCipher(["k2"]).blind_index("jane@example.com")
    # the index key is the first key's unless set apart: set it apart to rotate safely
    assert FieldCipher(["k2", "k1"], index_key="k1").blind_index("jane@example.com") == first


def test_the_column_type_encrypts_on_the_way_in_and_decrypts_on_the_way_out() -> None:
    install_field_cipher("test-keyring", FieldCipher(["column-key"]))
    column = EncryptedText("test-keyring")
    stored = column.process_bind_param("hello", None)  # type: ignore[arg-type]
    assert stored is not None and stored.startswith("enc1:")
    assert column.process_result_value(stored, None) == "hello"  # type: ignore[arg-type]
    assert column.process_bind_param(None, None) is None  # type: ignore[arg-type]
    assert repr(column) == "EncryptedText('test-keyring')"

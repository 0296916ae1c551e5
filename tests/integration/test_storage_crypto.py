"""Keys, pseudonyms, respondent keys, encryption and the key file (no database needed)."""

from __future__ import annotations

import base64
import os
import stat
import struct
from pathlib import Path

import pytest

from storage.crypto import (
    BLOB_VERSION,
    DecryptionError,
    Keys,
    SecretKeyError,
    blob_key_id,
    generate_secret,
    parse_secret,
)
from storage.keyfile import load_or_create_keyfile

SECRET = bytes(range(32))


def test_a_secret_reads_as_hex_or_base64() -> None:
    assert parse_secret(SECRET.hex()) == SECRET
    assert parse_secret(SECRET.hex().upper()) == SECRET
    assert parse_secret(base64.b64encode(SECRET).decode()) == SECRET
    assert parse_secret(base64.urlsafe_b64encode(SECRET).decode().rstrip("=")) == SECRET
    assert parse_secret(f"  {SECRET.hex()}\n") == SECRET


@pytest.mark.parametrize("text", ["", "abc123", "00" * 31, "not a key at all!", "é" * 64])
def test_a_short_or_garbled_secret_is_refused_with_a_fix(text: str) -> None:
    with pytest.raises(SecretKeyError) as error:
        parse_secret(text)
    assert "YOUSAID_SECRET_KEY" in str(error.value)
    assert "yousaid keys new" in str(error.value)


def test_a_generated_secret_is_64_hex_characters_and_new_each_time() -> None:
    first, second = generate_secret(), generate_secret()
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert first != second
    assert len(parse_secret(first)) == 32


def test_derived_keys_are_separate_from_each_other_and_the_secret() -> None:
    keys = Keys(SECRET)
    derived = {keys.enc_key(1), keys.enc_key(2), SECRET}
    assert len(derived) == 3
    assert keys.pseudonym("term:x") != keys.respondent_key("term:x")
    assert keys.check_value() not in (keys.pseudonym("term:x"), SECRET.hex())
    assert repr(keys) == "Keys(<secret>)"


def test_pseudonyms_are_stable_and_depend_on_the_key_and_the_namespace() -> None:
    keys = Keys(SECRET)
    same = Keys(SECRET)
    other = Keys(bytes(reversed(SECRET)))
    phone = keys.pseudonym("tel:+447700900123")
    assert phone == same.pseudonym("tel:+447700900123")
    assert phone != other.pseudonym("tel:+447700900123")
    assert keys.pseudonym("tg:123456") != keys.pseudonym("term:123456")
    assert len(phone) == 64
    assert "447700900123" not in phone


def test_a_bare_address_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="must be namespaced") as error:
        Keys(SECRET).pseudonym("+447700900123")
    assert "447700900123" not in str(error.value)


def test_an_encrypted_value_names_its_key_id_and_opens_only_with_its_row() -> None:
    keys = Keys(SECRET)
    blob = keys.encrypt(b"+447700900123", 7, b"participants.address_enc|abc")
    version, key_id = struct.unpack(">BI", blob[:5])
    assert (version, key_id) == (BLOB_VERSION, 7)
    assert blob_key_id(blob) == 7
    assert b"447700900123" not in blob
    assert keys.decrypt(blob, b"participants.address_enc|abc") == b"+447700900123"
    with pytest.raises(DecryptionError):
        keys.decrypt(blob, b"participants.address_enc|someone-else")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(DecryptionError):
        keys.decrypt(tampered, b"participants.address_enc|abc")


def test_the_same_value_encrypts_differently_each_time() -> None:
    keys = Keys(SECRET)
    assert keys.encrypt(b"x", 1, b"") != keys.encrypt(b"x", 1, b"")


def test_rotation_ready_key_ids_all_open_with_the_one_secret() -> None:
    keys = Keys(SECRET)
    old = keys.encrypt(b"state", 1, b"aad")
    new = keys.encrypt(b"state", 2, b"aad")
    assert (blob_key_id(old), blob_key_id(new)) == (1, 2)
    assert Keys(SECRET).decrypt(old, b"aad") == Keys(SECRET).decrypt(new, b"aad") == b"state"
    with pytest.raises(DecryptionError):
        Keys(bytes(reversed(SECRET))).decrypt(new, b"aad")


def test_the_key_file_is_created_once_private_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret.key"
    first = load_or_create_keyfile(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(parse_secret(first)) == 32
    assert load_or_create_keyfile(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]


def test_a_damaged_key_file_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("oops\n")
    with pytest.raises(SecretKeyError):
        load_or_create_keyfile(path)
    assert path.read_text() == "oops\n"

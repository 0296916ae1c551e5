"""Keys derived from the one secret, pseudonyms, respondent keys and AES-GCM encryption.

Every key comes from the secret through HKDF-SHA256 with its own `info`, so the keys are
independent: the pseudonym key never rotates (pseudonyms must stay stable), the encryption
keys form a keyring addressed by an integer id (rotation = a new id). No key is ever stored
in the database; the database holds only `check_value()`, which reveals nothing about them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import SecretKeyError

__all__ = [
    "ADDRESS_NAMESPACES",
    "BLOB_VERSION",
    "MIN_SECRET_BYTES",
    "DecryptionError",
    "Keys",
    "SecretKeyError",
    "blob_key_id",
    "generate_secret",
    "parse_secret",
]

MIN_SECRET_BYTES = 32
BLOB_VERSION = 1
ADDRESS_NAMESPACES = ("tel", "tg", "term")
"""`tel:+447700900123` (SMS and WhatsApp alike), `tg:123456`, `term:alice`."""

_HEADER = struct.Struct(">BI")  # version byte, key id
_NONCE_BYTES = 12
_SALT = b"yousaid/v1"
_HEX = re.compile(r"[0-9a-fA-F]+")
_FIX = (
    "set YOUSAID_SECRET_KEY to at least 32 random bytes as hex or base64, "
    "for example the 64 hex characters `yousaid keys new` prints"
)


class DecryptionError(ValueError):
    """A blob could not be decrypted: wrong key, wrong row, or tampered with."""


def parse_secret(text: str) -> bytes:
    """Read a secret written as hex or base64 (standard or URL-safe); at least 32 bytes."""
    cleaned = "".join(text.split())
    if not cleaned:
        raise SecretKeyError(f"the secret key is empty; {_FIX}")
    raw = _decode_hex(cleaned)
    if raw is None:
        raw = _decode_base64(cleaned)
    if raw is None:
        raise SecretKeyError(f"the secret key is neither hex nor base64; {_FIX}")
    if len(raw) < MIN_SECRET_BYTES:
        raise SecretKeyError(
            f"the secret key is {len(raw)} bytes, it must be at least {MIN_SECRET_BYTES}; {_FIX}"
        )
    return raw


def generate_secret() -> str:
    """A new random secret: 32 bytes as 64 hex characters."""
    return secrets.token_hex(MIN_SECRET_BYTES)


def blob_key_id(blob: bytes) -> int:
    """The key id an encrypted blob was sealed with (read from its header)."""
    if len(blob) < _HEADER.size + _NONCE_BYTES:
        raise DecryptionError("not an encrypted value: too short")
    version, key_id = _HEADER.unpack_from(blob)
    if version != BLOB_VERSION:
        raise DecryptionError(f"unknown encryption format version {version}")
    return int(key_id)


class Keys:
    """The keys derived from one secret. Holds key material: never log or print it."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise SecretKeyError(
                f"the secret key must be at least {MIN_SECRET_BYTES} bytes; {_FIX}"
            )
        self._secret = secret
        self._pseudonym_key = _derive(secret, b"pseudonym")
        self._respondent_key = _derive(secret, b"respondent-key")
        self._check_key = _derive(secret, b"key-check")
        self._digest_key = _derive(secret, b"message-digest")
        self._console_key = _derive(secret, b"console")
        self._enc_keys: dict[int, bytes] = {}

    @classmethod
    def from_text(cls, text: str) -> Keys:
        """Keys from a secret written as hex or base64."""
        return cls(parse_secret(text))

    def __repr__(self) -> str:
        return "Keys(<secret>)"

    def pseudonym(self, address: str) -> str:
        """The stable pseudonym (hex HMAC-SHA256) of a namespaced address such as `tg:123456`."""
        namespace, sep, rest = address.partition(":")
        if not sep or not rest or namespace not in ADDRESS_NAMESPACES:
            # The message must not echo the address: it may be a phone number.
            raise ValueError(
                "an address must be namespaced as tel:<E.164>, tg:<user id> or term:<name>"
            )
        return _hmac_hex(self._pseudonym_key, address)

    def respondent_key(self, token: str) -> str:
        """What answers carry instead of the respondent token: hex HMAC of the token."""
        return _hmac_hex(self._respondent_key, token)

    def message_digest(self, provider: str, provider_id: str) -> str:
        """A hashed provider message id, for deduplicating inbound messages."""
        return _hmac_hex(self._digest_key, f"{provider}\x00{provider_id}")

    def console_digest(self, kind: str, value: str) -> str:
        """The console's keyed digest of a token, an e-mail or an IP address (sign-in
        counters, sessions, set-up links): stored instead of the value itself."""
        return _hmac_hex(self._console_key, f"{kind}\x00{value}")

    def cookie_key(self) -> bytes:
        """The key the console signs its session cookie with."""
        return _derive(self._secret, b"console-cookie")

    def check_value(self) -> str:
        """A value stored in the database so a wrong key is refused at start."""
        return _hmac_hex(self._check_key, "yousaid key check")

    def enc_key(self, key_id: int) -> bytes:
        """The AES-256 key with this id in the keyring."""
        if not 0 < key_id < 2**32:
            raise ValueError("an encryption key id is between 1 and 2**32 - 1")
        key = self._enc_keys.get(key_id)
        if key is None:
            key = _derive(self._secret, b"encryption/" + str(key_id).encode())
            self._enc_keys[key_id] = key
        return key

    def encrypt(self, plaintext: bytes, key_id: int, aad: bytes) -> bytes:
        """AES-GCM: version byte + 4-byte key id + 12-byte random nonce + ciphertext and tag."""
        header = _HEADER.pack(BLOB_VERSION, key_id)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.enc_key(key_id)).encrypt(nonce, plaintext, header + aad)
        return header + nonce + sealed

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        """Open a blob from `encrypt`, with the key id written in it and the same `aad`."""
        key_id = blob_key_id(blob)
        header = blob[: _HEADER.size]
        nonce = blob[_HEADER.size : _HEADER.size + _NONCE_BYTES]
        try:
            return AESGCM(self.enc_key(key_id)).decrypt(
                nonce, blob[_HEADER.size + _NONCE_BYTES :], header + aad
            )
        except InvalidTag:
            raise DecryptionError(
                "an encrypted value does not open with this key (wrong key, or altered data)"
            ) from None


def _derive(secret: bytes, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=b"yousaid/" + purpose)
    return hkdf.derive(secret)


def _hmac_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _decode_hex(text: str) -> bytes | None:
    if len(text) % 2 or not _HEX.fullmatch(text):
        return None
    return bytes.fromhex(text)


def _decode_base64(text: str) -> bytes | None:
    padded = text + "=" * (-len(text) % 4)
    altchars = b"-_" if ("-" in text or "_" in text) else None
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return None

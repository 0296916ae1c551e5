"""Errors storage raises on purpose; each message says what is wrong and how to fix it.

None of them ever holds a password, an address, a token or a key.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error storage raises on purpose (the CLI prints it without a traceback)."""


class DatabaseURLError(StorageError):
    """YOUSAID_DATABASE_URL is malformed, uses an unknown scheme, or its driver is missing."""


class DatabaseUnavailable(StorageError):
    """The database does not answer (server down, wrong host, unwritable SQLite path)."""


class SecretKeyError(StorageError, ValueError):
    """YOUSAID_SECRET_KEY (or the key file) is not at least 32 bytes of hex or base64."""


class WrongKeyError(StorageError):
    """The secret key is not the one this database was created with."""


class LockOrderError(StorageError, RuntimeError):
    """lock_participant was called after the unit of work had already used the database."""

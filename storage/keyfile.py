"""The secret key file under var/, generated on first start. The bot uses it on SQLite only.

Elsewhere (PostgreSQL) the key must be given in YOUSAID_SECRET_KEY: a generated key kept on
one web worker's disk would leave the others unable to read the database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from storage.crypto import generate_secret, parse_secret

__all__ = ["load_or_create_keyfile"]


def load_or_create_keyfile(path: Path) -> str:
    """The secret in `path`; when there is none, a new one created exclusively with mode 0600."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = generate_secret()
    # Write a private temporary file in full, then link it into place: the link fails if the
    # key file exists, so two processes starting at once can never both write one, and no
    # reader ever sees a half-written key.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
    finally:
        temporary.unlink(missing_ok=True)
    return secret


def _read(path: Path) -> str:
    text = path.read_text(encoding="ascii").strip()
    parse_secret(text)  # fail now, with a plain fix, rather than at the first encryption
    return text

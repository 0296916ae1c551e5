"""Key rules: a key-check value refuses a wrong key; the current encryption key id.

Both live in the `meta` table; neither reveals anything about the keys themselves.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage import meta_values
from storage.crypto import Keys
from storage.errors import WrongKeyError
from storage.models import Meta
from storage.upsert import insert_ignore

__all__ = [
    "KEY_CHECK",
    "KEY_ID",
    "WrongKeyError",
    "current_key_id",
    "ensure_key_check",
    "key_matches",
    "set_current_key_id",
]

KEY_CHECK = "key_check"
KEY_ID = meta_values.KEY_ID

_WRONG_KEY = (
    "the secret key does not match this database; start with the key it was created with "
    "(YOUSAID_SECRET_KEY, or the key file under var/), or point YOUSAID_DATABASE_URL at a "
    "new database"
)


def ensure_key_check(engine: Engine, keys: Keys) -> None:
    """Store the key-check value on first use; raise WrongKeyError when it doesn't match."""
    with Session(engine) as session, session.begin():
        insert_ignore(session, Meta, {"key": KEY_CHECK, "value": keys.check_value()})
    if not key_matches(engine, keys):
        raise WrongKeyError(_WRONG_KEY)


def key_matches(engine: Engine, keys: Keys) -> bool | None:
    """Whether `keys` is this database's key (None: the database has no key check yet)."""
    with Session(engine) as session:
        stored = session.scalar(select(Meta.value).where(Meta.key == KEY_CHECK))
    if stored is None:
        return None
    return stored == keys.check_value()


def current_key_id(session: Session) -> int:
    """The id of the encryption key new values are sealed with (read with the catalogue
    version, once per transaction)."""
    return meta_values.read(session).key_id


def set_current_key_id(session: Session, key_id: int) -> None:
    """Make `key_id` the key new values are sealed with."""
    meta_values.forget(session)
    row = session.get(Meta, KEY_ID)
    if row is None:
        session.add(Meta(key=KEY_ID, value=str(key_id)))
    else:
        row.value = str(key_id)

"""The two `meta` values every message needs, read in one statement per transaction.

An inbound message asks for the catalogue version (are the rounds held in memory still
current?) and the encryption key id (what new values are sealed with). Each was its own
SELECT; both are read together the first time either is asked for in a transaction, and
kept in `session.info` until that transaction ends or one of them is written.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from storage.models import Meta

__all__ = ["CATALOGUE_VERSION", "KEY_ID", "MetaValues", "forget", "read"]

CATALOGUE_VERSION = "catalogue_version"
KEY_ID = "encryption_key_id"


class MetaValues(NamedTuple):
    catalogue_version: int  # 0: nothing was ever counted
    key_id: int  # 1: no key was ever rotated


def read(session: Session) -> MetaValues:
    """Both values as this transaction sees them (one SELECT, the first time it asks)."""
    transaction = session.get_transaction()
    seen = session.info.get(_SEEN)
    if transaction is not None and seen is not None and seen[0] is transaction:
        return seen[1]  # type: ignore[no-any-return]
    session.flush()  # a value this session changed through the ORM is read back as written
    rows = dict(session.connection().execute(_BOTH).all())
    values = MetaValues(int(rows.get(CATALOGUE_VERSION) or 0), int(rows.get(KEY_ID) or 1))
    session.info[_SEEN] = (session.get_transaction(), values)
    return values


def forget(session: Session) -> None:
    """Read them again next time: this transaction is about to change one."""
    session.info.pop(_SEEN, None)


def _table() -> Table:
    table = Meta.__table__
    assert isinstance(table, Table)
    return table


_T = _table()
_BOTH: Any = select(_T.c.key, _T.c.value).where(
    or_(_T.c.key == CATALOGUE_VERSION, _T.c.key == KEY_ID)
)
_SEEN = "yousaid.meta_values"  # session.info: (the transaction, the values read in it)

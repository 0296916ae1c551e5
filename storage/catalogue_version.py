"""A counter in the database that moves whenever rounds or consultations change.

Each web worker keeps the rounds and the latest consultations in memory (bot/library.py)
and reads this one value per message; when it has moved, another process (an officer's
command, the scheduler opening a round) changed them, and the worker loads them again.
The increment is one UPDATE, so two writers at once both count (the row lock orders them).
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, cast, select, update
from sqlalchemy.orm import Session

from storage.models import Meta
from storage.upsert import insert_ignore

__all__ = ["bump", "current"]

KEY = "catalogue_version"


def bump(session: Session) -> None:
    """Count one change, in the caller's transaction (it is seen when that commits)."""
    session.info.pop(_SEEN, None)
    insert_ignore(session, Meta, {"key": KEY, "value": "0"})
    session.execute(
        update(Meta)
        .where(Meta.key == KEY)
        .values(value=cast(cast(Meta.value, Integer) + 1, Text))
        .execution_options(synchronize_session=False)
    )


def current(session: Session) -> int:
    """The counter now (0: nothing was ever counted): read once per transaction (a message
    asks for the open rounds and the other rounds), again after this transaction's bump."""
    transaction = session.get_transaction()
    seen = session.info.get(_SEEN)
    if transaction is not None and seen is not None and seen[0] is transaction:
        return int(seen[1])
    value = session.scalar(_CURRENT)
    counted = int(value) if value is not None else 0
    session.info[_SEEN] = (session.get_transaction(), counted)
    return counted


_CURRENT = select(Meta.value).where(Meta.key == KEY)
_SEEN = "yousaid.catalogue_version"  # session.info: (the transaction, the value read in it)

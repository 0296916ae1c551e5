"""A counter in the database that moves whenever rounds or consultations change.

Each web worker keeps the rounds and the latest consultations in memory (bot/library.py)
and reads this one value per message; when it has moved, another process (an officer's
command, the scheduler opening a round) changed them, and the worker loads them again.
The increment is one UPDATE, so two writers at once both count (the row lock orders them).
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, cast, update
from sqlalchemy.orm import Session

from storage import meta_values
from storage.models import Meta
from storage.upsert import insert_ignore

__all__ = ["bump", "current"]

KEY = meta_values.CATALOGUE_VERSION


def bump(session: Session) -> None:
    """Count one change, in the caller's transaction (it is seen when that commits)."""
    meta_values.forget(session)
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
    return meta_values.read(session).catalogue_version

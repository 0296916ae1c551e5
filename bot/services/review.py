"""The anonymous safeguarding review queue: the items waiting, and marking one reviewed.

Each item is one message that matched the safeguarding screen, redacted, with the
consultation and day it came in: nothing in it leads to the person who sent it.
"""

from __future__ import annotations

from bot.runtime import Runtime
from storage.repositories.reviews import ReviewRow

__all__ = ["ReviewError", "ReviewRow", "mark_reviewed", "waiting"]


class ReviewError(Exception):
    """The item can't be marked; the message says what to do instead."""


def waiting(runtime: Runtime) -> list[ReviewRow]:
    """The items waiting for review, newest day first.

    Days only, never times (as for answers): within a day the order means nothing."""
    with runtime.db.unit_of_work() as uow:
        items = uow.reviews.open_items()
    return sorted(items, key=lambda item: item.day, reverse=True)


def mark_reviewed(runtime: Runtime, item_id: str, note: str | None) -> str:
    """Mark the item whose id is or starts with `item_id` reviewed; returns its full id."""
    wanted = item_id.strip().lower()
    if not wanted:
        raise ReviewError("give the item's id; `yousaid review list` shows them")
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        found = [item.id for item in uow.reviews.open_items() if item.id.startswith(wanted)]
        if len(found) > 1:
            raise ReviewError(f"{len(found)} items start with {item_id!r}; give more of the id")
        target = found[0] if found else wanted
        if not uow.reviews.done(target, note):
            raise ReviewError(f"no review item {item_id!r}; `yousaid review list` shows them")
        # The id only: never the flagged text, nor the officer's note.
        uow.audit.record("review.done", f"item={target}", runtime.clock.now())
    return target

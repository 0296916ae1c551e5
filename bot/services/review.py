"""The anonymous safeguarding review queue: the items waiting, and marking one reviewed.

Each item is one message that matched the safeguarding screen, redacted, with the
consultation and day it came in: nothing in it leads to the person who sent it.
"""

from __future__ import annotations

import logging

from bot.runtime import Runtime
from conversations.safeguarding import CATEGORY_NAMES
from conversations.safety_replies import RULE_SEPARATOR, Safety
from storage.repositories.reviews import ReviewRow

__all__ = [
    "ReviewError",
    "ReviewRow",
    "log_review_digest",
    "mark_reviewed",
    "waiting",
    "why_flagged",
]

log = logging.getLogger(__name__)

NOT_KEPT = "not recorded (flagged before reasons were kept)"


class ReviewError(Exception):
    """The item can't be marked; the message says what to do instead."""


def waiting(runtime: Runtime) -> list[ReviewRow]:
    """The items waiting for review, newest day first.

    Days only, never times (as for answers): within a day the order means nothing."""
    with runtime.db.unit_of_work() as uow:
        items = uow.reviews.open_items()
    return sorted(items, key=lambda item: item.day, reverse=True)


def log_review_digest(runtime: Runtime) -> int:
    """Log one count-only line while unreviewed items wait (the scheduler's daily job);
    returns the count."""
    count = len(waiting(runtime))
    if count:
        log.warning(
            "safeguarding review: %d item%s waiting; run `yousaid review list`",
            count,
            "" if count == 1 else "s",
        )
    return count


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


def why_flagged(runtime: Runtime, item: ReviewRow) -> list[str]:
    """Why the screen flagged `item`, one line per rule that fired: the word list's file,
    line and phrase (read from the lists now, as only the file and line are stored), and
    the classifier's score against its threshold."""
    if not item.reason:
        return [NOT_KEPT]
    return [_rule_line(rule, runtime.safety) for rule in item.reason.split(RULE_SEPARATOR)]


def _rule_line(rule: str, safety: Safety | None) -> str:
    kind, _, rest = rule.partition(":")
    if kind == "score":
        if safety is None or safety.model is None:
            return f"the classifier's score {rest}"
        return f"the classifier's score {rest} (the full helplines from {safety.model.full:.2f})"
    if kind != "list":
        return rule
    file, _, line = rest.rpartition(":")
    phrase = next(
        (
            p
            for p in (safety.lists.phrases if safety is not None else ())
            if p.file == file and str(p.line) == line
        ),
        None,
    )
    if phrase is None:
        return f"word list {file}, line {line} (the list has changed since)"
    name = CATEGORY_NAMES.get(phrase.category, phrase.category)
    return f'word list {file}, line {line}: "{phrase.text}" ({name})'

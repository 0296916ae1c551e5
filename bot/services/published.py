"""What is published about a consultation's updates ("we asked, you said, we did"): the
actions, the figures as quoted, how many each reached and the replies, small numbers
suppressed. Part of `yousaid results --format json`, and of the public page to come."""

from __future__ import annotations

from conversations import updates
from conversations.results import count_json
from conversations.safety_replies import WITHHELD
from storage.repositories.update_rows import UpdateStatus
from storage.uow import UnitOfWork

__all__ = ["published_updates"]


def published_updates(
    uow: UnitOfWork, consultation_id: str, min_count: int, shuffle_seed: int | None = None
) -> list[dict[str, object]]:
    """The consultation's updates for `yousaid results --format json`: what was done, the
    figures as quoted, how many it reached and the replies, small numbers suppressed."""
    published: list[dict[str, object]] = []
    for stored in uow.updates.for_consultation(consultation_id):
        counts = uow.updates.counts(stored.id)
        texts = [f.text for f in uow.updates.feedback(update_id=stored.id)]
        replies = updates.summarise_feedback(texts, min_count, shuffle_seed)
        reached = updates.suppressed(counts.sent, min_count)
        published.append(
            {
                "id": stored.id,
                "sent_from": stored.send_after.date().isoformat(),
                "cancelled": stored.status is UpdateStatus.CANCELLED,
                **stored.record,
                "reached": count_json(reached, min_count),
                "replies": {
                    **count_json(replies.count, min_count),
                    # Flagged replies are counted, never shown: their words are for review.
                    "texts": [t for t in replies.replies if t != WITHHELD]
                    if not replies.replies_suppressed
                    else None,
                },
            }
        )
    return published

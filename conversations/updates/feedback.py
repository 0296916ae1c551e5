"""Replies to an update, as published: small-number suppression of the count and texts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from conversations.results import Count, Hidden

FEEDBACK_DAYS = 14  # a reply this long after an update is feedback on it


@dataclass(frozen=True)
class FeedbackSummary:
    """Replies to one update, as published: the count, and the texts only when enough."""

    count: Count
    replies: tuple[str, ...]  # in random order; empty when suppressed
    replies_suppressed: bool


def summarise_feedback(
    texts: Sequence[str], min_count: int, shuffle_seed: int | None = None
) -> FeedbackSummary:
    """Small-number suppression for replies: the count and the texts need `min_count`."""
    total = len(texts)
    count = suppressed(total, min_count)
    if total < min_count:
        return FeedbackSummary(count, (), total > 0)
    shuffled = sorted(texts)
    random.Random(shuffle_seed).shuffle(shuffled)
    return FeedbackSummary(count, tuple(shuffled), False)


def suppressed(count: int, min_count: int) -> Count:
    """A count as published: hidden from 1 to min_count - 1 (nobody, 0, is shown)."""
    if 0 < count < min_count:
        return Count(None, True, Hidden.SMALL)
    return Count(count, False)

"""Moved to bot/services/updates.py; kept so code written against the old name still runs."""

from bot.services.published import published_updates
from bot.services.updates import (
    Prepared,
    Queued,
    UpdateRefused,
    load_update_words,
    prepare,
    queue,
)

__all__ = [
    "Prepared",
    "Queued",
    "UpdateRefused",
    "load_update_words",
    "prepare",
    "published_updates",
    "queue",
]

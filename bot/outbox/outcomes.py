"""What one provider call came to: the one vocabulary of the outbox and of the channels.

Twilio's sender, Telegram's delivery and the outbox loop all speak it, so nothing
translates between them. Neither provider takes an idempotency key, so an outcome says
plainly when a message may have gone (`Unsure`): nothing sends such a message again.

`message_ids` are the ids of the parts that did go (Telegram sends a long message in
parts; EXIT deletes them later); Twilio's outcomes leave it empty. `code` is the
provider's error code where it gave one (Twilio's 21610, 63016, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

__all__ = ["Blocked", "NotNow", "Outcome", "Refused", "Retry", "Sent", "Unsure"]


@dataclass(frozen=True)
class Sent:
    """The provider took every part; `ref` is its id for delivery reports."""

    ref: str | None
    cost: int = 1  # what it counted against the rate (Twilio: SMS segments)
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Retry:
    """Nothing went; try again after `after` (and let the whole lane wait that long)."""

    reason: str
    after: timedelta
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Refused:
    """This message was refused for good; the person may still be reached otherwise."""

    reason: str
    code: int | None = None
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Blocked:
    """This person can't be reached at all any more: they blocked the bot, stopped the
    number with the provider, or the number is not one that takes messages."""

    reason: str
    code: int | None = None
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NotNow:
    """Can't reach this person this way now (WhatsApp's window closed): unreachable."""

    reason: str
    code: int | None = None
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unsure:
    """The call broke after the request left: it (or a part) may have gone. Never resend."""

    reason: str
    message_ids: tuple[int, ...] = ()


Outcome = Sent | Retry | Refused | Blocked | NotNow | Unsure

"""The provider a lane of the outbox loop sends through (one per provider account)."""

from __future__ import annotations

from typing import Protocol

from bot.addresses import Address
from bot.outbox.outcomes import Outcome
from conversations.messages import Channel, Outgoing

__all__ = ["Transport"]


class Transport(Protocol):
    """One provider: the channels it sends on, the cost of a message, and the call."""

    channels: tuple[Channel, ...]
    rate: float  # cost units per second
    per_chat: float  # seconds between two messages to one person (0: no rule)

    def cost(self, channel: Channel, message: Outgoing) -> int:
        """What one message costs against the rate."""
        ...

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        """Send one message (or the WhatsApp template `template`)."""
        ...

    def tidy(self) -> int:
        """The provider's housekeeping due now, one provider call per item (Twilio:
        deleting its copies of messages); how many items were dealt with (0: none due)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

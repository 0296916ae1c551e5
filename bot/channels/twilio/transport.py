"""Twilio (SMS, WhatsApp) as a lane of the outbox loop; the rate counts SMS segments.

The lane also deletes Twilio's copies of messages as they fall due (`tidy`, one call per
message or picture, as Twilio's API requires), so that no deletion is on a request's path.
"""

from __future__ import annotations

from bot.addresses import Address
from bot.channels.twilio.cleanup import CopyEraser
from bot.channels.twilio.sender import TwilioSender
from bot.outbox.outcomes import Outcome
from bot.settings import Settings
from conversations.messages import Channel, Outgoing
from conversations.segments import count_segments

__all__ = ["TwilioTransport"]


class TwilioTransport:
    """SMS and WhatsApp through Twilio's REST API; the lane paces the calls."""

    channels: tuple[Channel, ...] = (Channel.SMS, Channel.WHATSAPP)
    per_chat: float = 0.0

    def __init__(
        self,
        settings: Settings,
        sender: TwilioSender | None = None,
        *,
        eraser: CopyEraser | None = None,
    ) -> None:
        self.rate = settings.twilio_rate
        self.sender = sender or TwilioSender.with_callbacks(settings)
        self.eraser = eraser  # None: this lane deletes no copies

    def cost(self, channel: Channel, message: Outgoing) -> int:
        """An SMS costs its segments (Twilio's limit counts them); a WhatsApp message 1."""
        if channel is Channel.SMS:
            return count_segments(message.text).segments
        return 1

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        """Send `message`, or the approved WhatsApp template `template` with its first line."""
        if template is not None:
            # The approved template's {{1}} is the update's neutral first line.
            first_line = message.text.split("\n", 1)[0]
            return self.sender.send(
                address, channel, content_sid=template, content_variables={"1": first_line}
            )
        return self.sender.send(address, channel, message.text)

    def tidy(self) -> int:
        """Delete Twilio's copies due now; a failed one is put off and tried again later."""
        if self.eraser is None:
            return 0
        report = self.eraser.erase_due()
        return report.erased + report.failed

    def close(self) -> None:
        """Nothing to release: the twilio client opens a connection per call."""

"""Talking to the real engine as a participant would, on a preview channel: the one path
`yousaid chat` and the console's "Try it" share.

A preview's answers are kept out of results, subscriptions, feedback and the review queue
(the engine and storage.recorder.PREVIEW_FACTS decide that); `live` (a kiosk) counts them.
The replies are handed back in the same call, so their outbox rows are marked delivered at
once and nothing is queued for a provider.
"""

from __future__ import annotations

from bot.addresses import Address
from bot.pipeline import Pipeline, Received
from conversations.messages import Channel, Inbound, Outgoing

__all__ = ["MAX_TEXT", "PreviewChat"]

MAX_TEXT = 10_000  # longer messages are cut here, like an SMS gateway would


class PreviewChat:
    """One participant's side of the bot, at `address`, in preview unless `live`."""

    def __init__(self, pipeline: Pipeline, address: Address, *, live: bool = False) -> None:
        self.pipeline = pipeline
        self.address = address
        self.preview = not live

    def start(self, consultation: str) -> tuple[Outgoing, ...]:
        """Start `consultation` (or its round) at once; its opening messages."""
        received = self._received(Inbound(Channel.TERMINAL, ""))
        handled = self.pipeline.receive(received, preview=self.preview, start_round=consultation)
        return handled.replies

    def say(self, text: str, *, button: str | None = None) -> tuple[Outgoing, ...]:
        """Send one message (or tap the button whose data is `button`); the replies."""
        inbound = Inbound(Channel.TERMINAL, text[:MAX_TEXT], button=button)
        return self.pipeline.receive(self._received(inbound), preview=self.preview).replies

    def _received(self, inbound: Inbound) -> Received:
        return Received(self.address, inbound, "terminal", replies_in_response=True)

"""Pacing by spacing, never by waiting for a 429.

After a message of cost c (Twilio: SMS segments, its limit counts them; a WhatsApp or
Telegram message is 1) the lane waits c/rate seconds; Telegram also waits a second between
two messages to one chat. Times are inputs, so tests run at any rate without sleeping.
A lane claims a batch no bigger than its `room`: what may go now, no wait between.
"""

from __future__ import annotations

__all__ = ["PER_CHAT", "Pacer"]

PER_CHAT = 1.0  # seconds between two Telegram messages to one chat
_ROUNDING = 1e-6  # seconds: a shorter wait is rounding (clocks count microseconds)


class Pacer:
    """Spaces messages to `rate` cost units a second, and per chat to one each `per_chat`.

    A message may go once the previous one's cost has drained (`cost / rate` seconds after
    it), so that in any stretch of time the lane sends no more than the rate allows.
    """

    def __init__(self, rate: float, per_chat: float = 0.0) -> None:
        self.rate = rate
        self.per_chat = per_chat
        self._free_at = 0.0
        self._chats: dict[str, float] = {}

    def wait(self, now: float) -> float:
        """Seconds until the lane may send."""
        return _at_least_a_microsecond(self._free_at - now)

    def room(self, now: float) -> int:
        """How many messages of cost 1 may go from `now` one after another, no wait between
        (a lane batches no more than that): 1 at any provider's real rate, since a message
        waits `1 / rate` after the one before it; more only where that is under the
        microsecond `wait` rounds away (a fake with no limit). 0 while the lane must wait."""
        if self.wait(now) > 0:
            return 0
        return 1 + int(min(_ROUNDING * self.rate, 1e9))

    def chat_wait(self, chat: str, now: float) -> float:
        """Seconds until `chat` may get another message."""
        return _at_least_a_microsecond(self._chats.get(chat, 0.0) - now)

    def spent(self, now: float, cost: int, chat: str) -> None:
        """A message of `cost` went at `now` to `chat`."""
        self._free_at = max(self._free_at, now) + cost / self.rate
        if self.per_chat:
            self._chats[chat] = now + self.per_chat
            if len(self._chats) > 10_000:
                self._chats = {k: t for k, t in self._chats.items() if t > now}

    def pause(self, now: float, seconds: float) -> None:
        """The provider asked us to wait: nothing goes before then."""
        self._free_at = max(self._free_at, now + seconds)


def _at_least_a_microsecond(seconds: float) -> float:
    """Clocks count microseconds: a shorter wait is rounding, not a wait (and would spin)."""
    return seconds if seconds >= _ROUNDING else 0.0

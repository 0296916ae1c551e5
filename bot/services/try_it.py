"""The console's "Try it": an officer talks to the real engine as a participant would, on
a preview channel of their own (keyed by their account, never by anything of a
participant), through the same `PreviewChat` path as `yousaid chat` without --live: its
answers never reach results, subscriptions, feedback or the review queue, and its replies
are delivered in the call, so nothing waits in the outbox for a provider."""

from __future__ import annotations

from bot.addresses import Address
from bot.pipeline import Pipeline
from bot.services.preview_chat import PreviewChat
from conversations.messages import Outgoing

__all__ = ["MAX_MESSAGE", "TRY_PREFIX", "restart", "say"]

# The terminal's namespace (the only one a preview uses), under a name of its own: an
# officer's account id, which no participant's address holds.
TRY_PREFIX = "console-try-"
MAX_MESSAGE = 1000  # characters of one message typed in the panel
MAX_BUTTON = 64  # Telegram's limit on a button's data


def restart(pipeline: Pipeline, officer_id: str, consultation: str) -> tuple[Outgoing, ...]:
    """Forget the officer's try-it conversation and start `consultation` afresh; its
    opening. Raises bot.pipeline.UnknownRound when it has no open round."""
    address = _address(officer_id)
    runtime = pipeline.runtime
    pseudonym = runtime.keys.pseudonym(address.namespaced)
    with runtime.db.unit_of_work() as uow:
        uow.lock_participant(pseudonym)
        uow.conversations.delete(pseudonym)
        uow.participants.delete(pseudonym)
    return PreviewChat(pipeline, address).start(consultation)


def say(
    pipeline: Pipeline, officer_id: str, text: str, button: str | None = None
) -> tuple[Outgoing, ...]:
    """One message typed (at most `MAX_MESSAGE` characters), or a button tapped; the replies."""
    if button is not None and len(button) > MAX_BUTTON:
        button = None
    chat = PreviewChat(pipeline, _address(officer_id))
    return chat.say(text[:MAX_MESSAGE], button=button)


def _address(officer_id: str) -> Address:
    return Address.terminal(TRY_PREFIX + officer_id)

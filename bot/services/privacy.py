"""A participant's rights, asked for another way than by text (a letter, a call): what is
held about an address (a subject access request), and erasing it as DELETE would."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.addresses import Address
from bot.runtime import Runtime
from conversations.messages import Channel
from conversations.state import AnswerValue

log = logging.getLogger(__name__)

__all__ = ["HeldAbout", "erase", "lookup", "parse_address"]


@dataclass(frozen=True)
class HeldAbout:
    """What is held about one address, for a subject access request."""

    known: bool
    opted_out: bool = False
    language: str | None = None
    address_kept: bool = False
    subscriptions: tuple[str, ...] = ()  # "updates on feeling-safe by sms"
    conversation: str | None = None  # "feeling-safe, question"
    # Round id -> (question id, answer) of answers they can still withdraw.
    answers: dict[str, list[tuple[str, AnswerValue]]] = field(default_factory=dict)
    flagged: tuple[str, ...] = ()  # their redacted texts in the review queue


def parse_address(text: str, region: str = "GB") -> Address:
    """An address as an officer types it: a phone number, `tg:ID` or `term:NAME`."""
    cleaned = text.strip()
    if cleaned.startswith("tg:") and cleaned[3:].isdigit():
        return Address.telegram(int(cleaned[3:]))
    if cleaned.startswith("term:") and cleaned[5:]:
        return Address.terminal(cleaned[5:])
    return Address.phone(cleaned.removeprefix("tel:"), region)


def lookup(runtime: Runtime, address: Address) -> HeldAbout:
    """Everything held that can be found from an address (a subject access request). After
    the withdrawal window their answers can no longer be found, by design. The audit log
    records that a lookup was made, never of whom."""
    held = _held_about(runtime, address)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.audit.record(
            "privacy.lookup", f"found={'yes' if held.known else 'no'}", runtime.clock.now()
        )
    return held


def erase(runtime: Runtime, address: Address) -> bool:
    """Do what DELETE does, for a request that came another way (a letter, a call), without
    messaging the person. Returns whether anything was held."""
    pseudonym = runtime.keys.pseudonym(address.namespaced)
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        # Never create their row again: a lookup of someone unknown leaves nothing behind.
        if not uow.lock_participant(pseudonym, create=False):
            uow.audit.record("privacy.erase", "found=no", now)
            return False
        channel = uow.participants.get_channel(pseudonym) or Channel.TERMINAL
        uow.decisions.erase(pseudonym, channel, now)
        uow.audit.record("privacy.erase", "found=yes", now)
    log.info("erased on request actor=%s", pseudonym[:8])
    return True


def _held_about(runtime: Runtime, address: Address) -> HeldAbout:
    pseudonym = runtime.keys.pseudonym(address.namespaced)
    with runtime.db.unit_of_work() as uow:
        state = uow.participants.get_state(pseudonym)
        if state is None:
            return HeldAbout(known=False)
        subscriptions = tuple(
            f"{row.scope} news of {row.consultation_id} by {row.channel}"
            for row in uow.participants.subscriptions(pseudonym)
        )
        conversation = uow.conversations.current(pseudonym)
        answers: dict[str, list[tuple[str, AnswerValue]]] = {}
        flagged: list[str] = []
        for round_id, token in sorted(state.responses.items()):
            key = runtime.keys.respondent_key(token)
            answers[round_id] = uow.results.answers_of(key)
            flagged += uow.reviews.texts_of(key)
        return HeldAbout(
            known=True,
            opted_out=state.opted_out,
            language=state.language,
            address_kept=uow.participants.get_address(pseudonym) is not None,
            subscriptions=subscriptions,
            conversation=None
            if conversation is None
            else f"{conversation.consultation_id}, {conversation.phase.value}",
            answers=answers,
            flagged=tuple(flagged),
        )

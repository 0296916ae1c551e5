"""Participants: encrypted state and address by pseudonym, plus the plain flags pushes need."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, exists, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from conversations.messages import Channel
from conversations.state import ParticipantState
from storage.models import Participant, Subscription
from storage.sealing import Sealer, address_aad, participant_state_aad
from storage.serialization import decode_participant, encode_participant
from storage.upsert import insert_ignore, upsert

__all__ = ["HeldSubscription", "ParticipantsRepository", "ensure_row"]


class HeldSubscription(NamedTuple):
    scope: str  # "updates" or "future"
    consultation_id: str
    channel: str


class ParticipantsRepository:
    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer
        # The session's identity map holds clean rows weakly: without a reference of our
        # own, the row read for the state is gone (and SELECTed again) by the time the
        # same message writes the state, the channel and the address.
        self._held: dict[str, Participant] = {}

    def get_state(self, pseudonym: str) -> ParticipantState | None:
        """The participant's state; None for someone never seen (or only locked) before."""
        # Core on the connection, built once: read on every message. The state is written
        # only by `write` (Core too), so no ORM change to it can be waiting for a flush.
        found = self._session.connection().execute(_STATE, {"pseudonym": pseudonym}).first()
        if found is None:
            return None
        self._session.info.setdefault(_PRESENT, set()).add(pseudonym)
        if found[1] is None:
            return None
        return decode_participant(self._sealer.open(found[1], participant_state_aad(pseudonym)))

    def write(
        self,
        pseudonym: str,
        state: ParticipantState,
        now: datetime | None = None,
        *,
        channel: Channel | None = None,
        address: str | None = None,
        forget_address: bool = False,
    ) -> None:
        """Store the state (encrypted), its opt-out and language in plain columns, and
        optionally the channel last written on and the address (kept, or forgotten with
        `forget_address`): one INSERT ... ON CONFLICT DO UPDATE, the row made if missing."""
        values: dict[str, object] = {
            "pseudonym": pseudonym,
            "state_enc": self._sealer.seal(
                encode_participant(state), participant_state_aad(pseudonym)
            ),
            "opted_out": state.opted_out,
            "language": state.language,
        }
        if now is not None:
            values["updated_at"] = now
        if channel is not None:
            values["channel"] = channel.value
        if address is not None:
            values["address_enc"] = self._sealer.seal(address.encode(), address_aad(pseudonym))
        elif forget_address:
            values.update(address_enc=None, needs_address=False)
        upsert(self._session, Participant, values, key=("pseudonym",))  # flushes first
        self._session.info.setdefault(_PRESENT, set()).add(pseudonym)
        self._reload_held(pseudonym)

    def need_address(self, pseudonym: str) -> None:
        """Mark the address as needed: the participant has just subscribed."""
        self._session.flush()
        self._session.connection().execute(_NEEDS_ADDRESS, {"who": pseudonym})
        self._reload_held(pseudonym)

    def save_state(
        self, pseudonym: str, state: ParticipantState, now: datetime | None = None
    ) -> None:
        """Store the state alone (see `write`)."""
        self.write(pseudonym, state, now)

    def set_address(self, pseudonym: str, address: str) -> None:
        """Keep the address (encrypted) while it is needed to reply or push."""
        row = self.ensure(pseudonym)
        row.address_enc = self._sealer.seal(address.encode(), address_aad(pseudonym))

    def get_address(self, pseudonym: str) -> str | None:
        row = self._get(pseudonym)
        if row is None or row.address_enc is None:
            return None
        return self._sealer.open(row.address_enc, address_aad(pseudonym)).decode()

    def clear_address(self, pseudonym: str) -> None:
        """Forget the address (it is no longer needed, or DELETE)."""
        row = self._get(pseudonym)
        if row is not None:
            row.address_enc = None
            row.needs_address = False

    def set_channel(self, pseudonym: str, channel: Channel) -> None:
        """The channel the participant last wrote on: where replies and pushes go."""
        self.ensure(pseudonym).channel = channel.value

    def get_channel(self, pseudonym: str) -> Channel | None:
        row = self._get(pseudonym)
        return Channel(row.channel) if row is not None and row.channel else None

    def is_opted_out(self, pseudonym: str) -> bool:
        row = self._get(pseudonym)
        return row is not None and row.opted_out

    def set_opted_out(self, pseudonym: str, opted_out: bool) -> None:
        self.ensure(pseudonym).opted_out = opted_out

    def has_subscriptions(self, pseudonym: str) -> bool:
        """Whether the participant asked for updates or invitations (and so needs an address)."""
        return bool(self._session.scalar(_SUBSCRIBED, {"pseudonym": pseudonym}))

    def subscriptions(self, pseudonym: str) -> list[HeldSubscription]:
        """What the person has asked to hear about (for a subject access request)."""
        rows = self._session.scalars(
            select(Subscription)
            .where(Subscription.pseudonym == pseudonym)
            .order_by(Subscription.consultation_id, Subscription.scope)
        )
        return [HeldSubscription(row.scope, row.consultation_id, row.channel) for row in rows]

    def refresh_needs_address(self, pseudonym: str) -> None:
        """Mark the address as needed exactly while the participant has a subscription."""
        self.ensure(pseudonym).needs_address = self.has_subscriptions(pseudonym)

    def delete(self, pseudonym: str) -> None:
        """Forget the participant; their conversation, subscriptions and outbox go too."""
        self._session.execute(delete(Participant).where(Participant.pseudonym == pseudonym))
        self._session.info.get(_PRESENT, set()).discard(pseudonym)
        self._held.pop(pseudonym, None)
        self._session.expire_all()

    def ensure(self, pseudonym: str) -> Participant:
        """The participant's row, created empty when missing."""
        row = self._get(pseudonym)
        if row is None:
            self._session.flush()
            ensure_row(self._session, pseudonym)
            row = self._get(pseudonym)
            assert row is not None
        return row

    def _reload_held(self, pseudonym: str) -> None:
        # A row the ORM holds (a fact's flag set through it, say) reads stale after a Core
        # write: expired, it is read again when next used.
        held = self._session.identity_map.get(identity_key(Participant, pseudonym))
        if held is not None:
            self._session.expire(held)

    def _get(self, pseudonym: str) -> Participant | None:
        """The row through the session (its identity map first), held for this unit of work;
        a row found is marked present, so `ensure_row` inserts nothing for it."""
        row = self._session.get(Participant, pseudonym)
        if row is None:
            self._held.pop(pseudonym, None)
            return None
        self._held[pseudonym] = row
        self._session.info.setdefault(_PRESENT, set()).add(pseudonym)
        return row


def ensure_row(session: Session, pseudonym: str) -> None:
    """Make sure the participant's row exists (rows that hang off it need it): one INSERT
    ... ON CONFLICT DO NOTHING per unit of work, not one per repository that asks."""
    present: set[str] = session.info.setdefault(_PRESENT, set())
    if pseudonym in present:
        return
    insert_ignore(session, Participant, {"pseudonym": pseudonym})
    present.add(pseudonym)


_PRESENT = "yousaid.participants_present"  # session.info: rows known to exist
_STATE: Any = select(Participant.pseudonym, Participant.state_enc).where(
    Participant.pseudonym == bindparam("pseudonym")
)
_NEEDS_ADDRESS: Any = (
    update(Participant).where(Participant.pseudonym == bindparam("who")).values(needs_address=True)
)
_SUBSCRIBED: Any = select(exists().where(Subscription.pseudonym == bindparam("pseudonym")))

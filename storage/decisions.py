"""The one place the engine's decision is written: state, conversation, address and facts.

The pipeline (one inbound message), the officers' erasure (bot/privacy.py) and anything
else that records facts go through `DecisionWriter`, in the caller's unit of work, so
what DELETE erases and what an answer stores can never drift apart between two writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from conversations.engine import Decision
from conversations.facts import EraseRequested, Fact, Subscribed
from conversations.messages import Channel
from conversations.state import ConversationState, ParticipantState
from storage.recorder import PREVIEW_FACTS, Recorder, utc_day
from storage.repositories.conversations import ConversationsRepository
from storage.repositories.participants import ParticipantsRepository

__all__ = ["DecisionWriter"]


class DecisionWriter:
    """Applies decisions to the database, inside one unit of work (bound to it)."""

    def __init__(
        self,
        recorder: Recorder,
        participants: ParticipantsRepository,
        conversations: ConversationsRepository,
    ) -> None:
        self._recorder = recorder
        self._participants = participants
        self._conversations = conversations

    def apply(
        self,
        pseudonym: str,
        decision: Decision,
        *,
        channel: Channel,
        address: str | None,
        now: datetime,
        preview: bool = False,
    ) -> bool:
        """Write `decision` for `pseudonym`; True when it erased them (DELETE).

        `address` is the namespaced address the message came from: kept (encrypted) only
        while a conversation runs or updates are wanted. None leaves the stored one alone
        unless nothing needs it (an erasure that came another way has no address)."""
        self.record_facts(decision.facts, channel, pseudonym, now, preview=preview)
        if any(isinstance(fact, EraseRequested) for fact in decision.facts):
            # DELETE: nothing about the person stays, not even their pseudonym's row.
            self._conversations.delete(pseudonym)
            self._participants.delete(pseudonym)
            return True
        active = decision.conversation is not None and decision.conversation.active
        wanted = any(isinstance(fact, Subscribed) for fact in decision.facts)
        keep = active or wanted or self._participants.has_subscriptions(pseudonym)
        # One write of the participant's row: state, channel and the address kept or gone.
        self._participants.write(
            pseudonym,
            decision.participant,
            now,
            channel=channel,
            address=address if keep else None,
            forget_address=not keep,
        )
        self._save_conversation(pseudonym, decision.conversation)
        return False

    def erase(self, pseudonym: str, channel: Channel, now: datetime) -> None:
        """What DELETE does, for a request that came another way (a letter, a call): every
        response the person has, and their conversation's, erased with them."""
        state = self._participants.get_state(pseudonym) or ParticipantState()
        conversation = self._conversations.current(pseudonym)
        tokens = list(state.responses.values())
        if conversation is not None and conversation.respondent_token not in tokens:
            tokens.append(conversation.respondent_token)
        decision = Decision(state, None, (), (EraseRequested(tuple(tokens)),))
        self.apply(pseudonym, decision, channel=channel, address=None, now=now)

    def record_facts(
        self,
        facts: Sequence[Fact],
        channel: Channel,
        pseudonym: str,
        now: datetime,
        *,
        preview: bool = False,
    ) -> None:
        """Apply facts alone, in order (jobs that change no conversation); a preview
        records only the participant's own settings: no answers, subscriptions, feedback
        or review items."""
        day = utc_day(now)
        for fact in facts:
            if not (preview and isinstance(fact, PREVIEW_FACTS)):
                self._recorder.apply(fact, channel, pseudonym, day)

    def _save_conversation(self, pseudonym: str, conversation: ConversationState | None) -> None:
        if conversation is None:
            self._conversations.delete(pseudonym)
        else:
            self._conversations.save(pseudonym, conversation)

"""The world a turn meets: open and known rounds, the recent update, and finding a round.

Everything here is given by the caller (time, rounds, catalogue, a fresh token); nothing in
this module decides what to say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from conversations.catalogue import Catalogue
from conversations.keywords import normalise
from conversations.messages import Channel
from conversations.model import Consultation
from conversations.safety_replies import Safety
from conversations.state import ConversationState

UPDATE_REPLY_WINDOW = timedelta(days=14)  # a reply this soon after an update is feedback on it


@dataclass(frozen=True)
class OpenRound:
    """A round taking answers now: its keyword starts its consultation."""

    round_id: str
    consultation: Consultation
    keyword: str  # upper-case; the round's own or the consultation's
    closes_at: datetime | None  # None: open with no end
    channels: tuple[Channel, ...] | None = None  # where it can be answered; None: everywhere


@dataclass(frozen=True)
class KnownRound:
    """A round not taking answers now (yet to open, or closed): its keyword gets a kind
    line saying so, rather than the welcome. Times are local."""

    round_id: str
    keyword: str  # upper-case; the round's own or the consultation's
    opens_at: datetime
    closes_at: datetime | None
    results_at: datetime | None = None  # when results will be shared, if the officer said


@dataclass(frozen=True)
class World:
    """Everything outside the participant that the engine decides on."""

    now: datetime  # timezone-aware
    open_rounds: tuple[OpenRound, ...]
    catalogue: Catalogue
    new_token: str  # a fresh random respondent token, used only if a response starts
    preview: bool = False  # answers kept out of results (yousaid chat without --live)
    # Consultations by (id, version) for conversations under way on an older version.
    versions: Mapping[tuple[str, str], Consultation] | None = None
    # Language -> the full help text (the configured helplines); None: the catalogue's.
    help_text: Mapping[str, str] | None = None
    # The safeguarding screen and the helplines (HELP's text too); None: no screening.
    safety: Safety | None = None
    # Rounds not open now, one per keyword (an upcoming one before a closed one).
    other_rounds: tuple[KnownRound, ...] = ()
    # The last "you said, we did" update this participant was sent, if any lately; or a
    # function that looks it up, called only when the engine needs it (first contact and
    # MORE), so a message in the middle of a consultation costs no lookup.
    recent_update: RecentUpdate | Callable[[], RecentUpdate | None] | None = None


@dataclass(frozen=True)
class RecentUpdate:
    """An update pushed to the participant: a reply to it is feedback, MORE gets the rest."""

    update_id: str
    consultation_id: str
    sent_at: datetime
    thanks: str  # the answer to a reply, in the language the update went in
    more: str | None = None  # every action, for MORE


def open_round(world: World, round_id: str) -> OpenRound | None:
    """The open round with this id, if it is still open."""
    return next((r for r in world.open_rounds if r.round_id == round_id), None)


def round_named(text: str, world: World, channel: Channel | None = None) -> OpenRound | None:
    """The open round whose keyword `text` is, answerable on `channel` (None: any)."""
    said = normalise(text)
    if not said:
        return None
    return next(
        (
            r
            for r in world.open_rounds
            if normalise(r.keyword) == said and answerable_on(r, channel, world)
        ),
        None,
    )


def answerable_on(round_: OpenRound, channel: Channel | None, world: World) -> bool:
    """Whether the round takes answers on `channel`. A preview (an officer trying it in the
    terminal) may try any round."""
    if channel is None or round_.channels is None or world.preview:
        return True
    return channel in round_.channels


def known_round_named(text: str, world: World) -> KnownRound | None:
    """The round not open now whose keyword `text` is (when no open round has it)."""
    said = normalise(text)
    if not said or any(normalise(r.keyword) == said for r in world.open_rounds):
        return None
    return next((r for r in world.other_rounds if normalise(r.keyword) == said), None)


def version(
    conversation: ConversationState, round_: OpenRound, world: World
) -> Consultation | None:
    """The consultation version the conversation started on, if it can still be found."""
    key = (conversation.consultation_id, conversation.version)
    if world.versions and key in world.versions:
        return world.versions[key]
    current = round_.consultation
    return current if (current.id, current.version) == key else None


def default_language(catalogue: Catalogue) -> str:
    """The language to speak before anyone has chosen one: the catalogue's first."""
    languages = catalogue.languages()
    return languages[0] if languages else "en"

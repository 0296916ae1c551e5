"""Engine state and replies stored as JSON: what goes in comes back, old rows keep loading."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conversations.messages import Button, Outgoing
from conversations.state import ConversationState, ParticipantState, Phase
from storage.serialization import (
    decode_conversation,
    decode_participant,
    decode_replies,
    encode_conversation,
    encode_participant,
    encode_replies,
)

STARTED = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


def conversation(**changes: object) -> ConversationState:
    values: dict[str, object] = {
        "consultation_id": "safer-streets",
        "version": "3",
        "round_id": "r1",
        "respondent_token": "tok-abc",
        "language": "en",
        "phase": Phase.QUESTION,
        "started_at": STARTED,
        "last_active": STARTED + timedelta(minutes=4),
        "question_id": "where",
        # Every kind of answer: a choice id, a scale point, several choices, a skip.
        "answers": {"feel": "unsafe", "score": 3, "which": ("bus", "park"), "why": None},
        "history": ("feel", "score", "which", "why"),
        "reasks": 1,
    }
    values.update(changes)
    return ConversationState(**values)  # type: ignore[arg-type]


def test_a_conversation_comes_back_as_it_went_in() -> None:
    state = conversation()

    assert decode_conversation(encode_conversation(state)) == state


def test_multi_choice_answers_and_history_come_back_as_tuples() -> None:
    back = decode_conversation(encode_conversation(conversation()))

    assert back.answers["which"] == ("bus", "park")
    assert back.history == ("feel", "score", "which", "why")
    assert back.answers["score"] == 3
    assert back.phase is Phase.QUESTION


def test_times_keep_their_offset() -> None:
    bst = timezone(timedelta(hours=1))
    state = conversation(last_active=datetime(2026, 6, 1, 9, 0, tzinfo=bst))

    back = decode_conversation(encode_conversation(state))

    assert back.last_active == state.last_active
    assert back.last_active.utcoffset() == timedelta(hours=1)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        encode_conversation(conversation(last_active=datetime(2026, 12, 1, 18, 30)))  # noqa: DTZ001


def test_a_participant_comes_back_as_it_went_in() -> None:
    state = ParticipantState(
        language="cy",
        opted_out=True,
        responses={"safer-streets": "tok-abc"},
        recent_texts=("hi", "help"),
        language_offer_open=True,
    )

    assert decode_participant(encode_participant(state)) == state


def test_an_old_row_without_a_newer_field_takes_its_default() -> None:
    stored = json.loads(encode_participant(ParticipantState(language="en")))
    del stored["recent_texts"]
    stored["a_field_from_the_future"] = 1

    back = decode_participant(json.dumps(stored).encode())

    assert back == ParticipantState(language="en")


def test_replies_keep_their_buttons_and_order() -> None:
    replies = [
        Outgoing("How safe do you feel?", (Button("Safe", "q:feel:safe"),), question_ref="feel"),
        Outgoing("Thanks. Text STOP to stop."),
    ]

    assert decode_replies(encode_replies(replies)) == replies


def test_the_stored_format_stays_as_earlier_versions_wrote_it() -> None:
    """Compact JSON with sorted keys: rows already in a council's database read the same."""
    assert encode_participant(ParticipantState(language="en", responses={"c": "t"})) == (
        b'{"helplines_shown":false,"language":"en","language_asked":null,'
        b'"language_offer_open":false,"opted_out":false,"recent_texts":[],'
        b'"responses":{"c":"t"},"stop_notice_sent":false}'
    )

"""Keywords of rounds that are not open, rounds limited to some channels, and the
reminder and invitation texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from conversations.engine import KnownRound
from conversations.facts import ResponseEnded, ResponseStarted, ResponseStatus
from conversations.messages import Channel, Inbound
from conversations.nudges import invitation, reminder
from conversations.segments import count_segments
from tests.unit.conversations.engine.fixtures import (
    CATALOGUE,
    FEELING_SAFE,
    HEARD,
    NOW,
    Chat,
    facts_of,
    make_world,
    open_round,
)

LATER = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def known(
    keyword: str = "SAFE",
    *,
    opens_at: datetime,
    closes_at: datetime | None = None,
    results_at: datetime | None = None,
) -> KnownRound:
    return KnownRound("r-safe", keyword, opens_at, closes_at, results_at)


def test_keyword_before_its_round_opens_says_when_it_opens() -> None:
    upcoming = known(opens_at=LATER, closes_at=LATER + timedelta(days=14))
    chat = Chat(make_world(open_round(HEARD), other_rounds=(upcoming,)))
    (reply,) = chat.send("safe")
    assert "aren't open yet" in reply
    assert "20 July 2026, 09:00" in reply
    assert "SAFE" in reply
    assert chat.conversation is None
    assert chat.facts == ()


def test_keyword_after_its_round_closed_says_so_and_when_results_come() -> None:
    closed = known(
        opens_at=NOW - timedelta(days=30),
        closes_at=NOW - timedelta(days=1),
        results_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    chat = Chat(make_world(open_round(HEARD), other_rounds=(closed,)))
    (reply,) = chat.send("SAFE")
    assert "have closed" in reply
    assert "1 September 2026" in reply
    assert "JOIN" in reply  # a way to hear about the next one
    assert "Feeling safe" not in reply  # the line never names the consultation


def test_a_results_date_already_past_is_not_promised() -> None:
    closed = known(
        opens_at=NOW - timedelta(days=30),
        closes_at=NOW - timedelta(days=10),
        results_at=NOW - timedelta(days=2),
    )
    (reply,) = Chat(make_world(open_round(HEARD), other_rounds=(closed,))).send("SAFE")
    assert "have closed" in reply
    assert "share" not in reply


def test_the_closed_line_comes_in_the_participants_language() -> None:
    closed = known(opens_at=NOW - timedelta(days=30), closes_at=NOW - timedelta(days=1))
    chat = Chat(make_world(open_round(HEARD), other_rounds=(closed,)))
    chat.send("polski")
    (reply,) = chat.send("SAFE")
    assert "zamknięte" in reply
    assert "DOLACZ" in reply


def test_an_open_round_wins_over_a_closed_one_with_the_same_keyword() -> None:
    closed = known(opens_at=NOW - timedelta(days=30), closes_at=NOW - timedelta(days=1))
    chat = Chat(make_world(open_round(FEELING_SAFE), other_rounds=(closed,)))
    chat.send("SAFE")
    assert chat.conversation is not None
    assert chat.conversation.round_id == "feeling-safe-r1"


def test_a_conversation_whose_round_closed_gets_one_closed_line_for_its_keyword() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    closed = known(opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(hours=1))
    chat.world = replace(
        chat.world,
        open_rounds=(open_round(HEARD),),
        other_rounds=(replace(closed, round_id="feeling-safe-r1"),),
        now=NOW + timedelta(hours=2),
    )
    replies = chat.send("SAFE")
    assert len(replies) == 1
    assert "have closed" in replies[0]
    (ended,) = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL


def test_a_round_limited_to_sms_is_not_started_from_whatsapp() -> None:
    sms_only = replace(open_round(FEELING_SAFE), channels=(Channel.SMS, Channel.TELEGRAM))
    chat = Chat(make_world(sms_only, open_round(HEARD)))
    (reply,) = chat.receive(Inbound(Channel.WHATSAPP, "SAFE"))
    assert "can't answer those questions here" in reply
    assert "SMS, Telegram" in reply
    assert chat.conversation is None
    chat.receive(Inbound(Channel.SMS, "SAFE"))
    assert chat.conversation is not None


def test_the_welcome_lists_only_rounds_answerable_on_the_channel() -> None:
    telegram_only = replace(open_round(FEELING_SAFE), channels=(Channel.TELEGRAM,))
    chat = Chat(make_world(telegram_only))
    (on_sms,) = chat.receive(Inbound(Channel.SMS, "hello"))
    (on_telegram,) = chat.receive(Inbound(Channel.TELEGRAM, "hello"))
    assert "SAFE" not in on_sms
    assert "SAFE" in on_telegram


def test_a_preview_in_the_terminal_may_try_a_round_limited_to_other_channels() -> None:
    sms_only = replace(open_round(FEELING_SAFE), channels=(Channel.SMS,))
    chat = Chat(make_world(sms_only, preview=True))
    chat.receive(Inbound(Channel.TERMINAL, "SAFE"))
    assert chat.conversation is not None


def test_the_reminder_starts_neutral_and_brings_the_question_back() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    assert facts_of(chat.facts, ResponseStarted)
    assert chat.conversation is not None
    message = reminder(FEELING_SAFE, chat.conversation, CATALOGUE)
    assert message is not None
    first, *rest = message.text.split("\n")
    assert first == "Hi! A quick message from us."
    assert "didn't finish" in rest[0]
    assert "How safe do you feel in your area after dark?" in message.text
    assert message.question_ref is not None
    assert len(message.buttons) == 3


def test_no_reminder_for_a_finished_conversation() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    for _ in range(20):
        if chat.conversation is None or not chat.conversation.active:
            break
        chat.send("skip")
    assert chat.conversation is not None
    assert not chat.conversation.active
    assert reminder(FEELING_SAFE, chat.conversation, CATALOGUE) is None


def test_the_invitation_starts_neutral_names_the_keyword_and_the_last_day() -> None:
    closes = datetime(2026, 7, 22, 0, 0, tzinfo=UTC)  # midnight: open all of the 21st
    message = invitation(FEELING_SAFE, "SAFE", "en", CATALOGUE, closes)
    lines = message.text.split("\n")
    assert lines[0] == "Hi! A quick message from us."
    assert "Text SAFE" in message.text
    assert "21 July 2026" in message.text
    assert "STOP" in lines[-1]
    assert count_segments(message.text).encoding == "GSM-7"


def test_the_invitation_comes_in_the_subscribers_language() -> None:
    message = invitation(FEELING_SAFE, "SAFE", "pl", CATALOGUE, None)
    assert "Mamy nowe pytania" in message.text
    assert "Otwarte do" not in message.text

"""Reminders and invitations: to exactly the right people, once, through the outbox."""

from __future__ import annotations

import pytest

from bot.services.rounds import RoundError
from conversations.messages import Channel
from tests.integration.scheduler_harness import Installation

NEUTRAL = "Hi! A quick message from us."
FIRST_QUESTION = "How safe do you feel in your area after dark?"


def start_answering(bot: Installation, number: str) -> None:
    """Text the keyword and say yes: a response has started, the first question waits."""
    bot.text(number, "SAFE")
    replies = bot.text(number, "yes")
    assert FIRST_QUESTION in replies[-1]


def answer_everything(bot: Installation, number: str, *, future: str = "no") -> None:
    """Go through the whole consultation, saying `future` to the invitations question."""
    replies = bot.text(number, "SAFE") and bot.text(number, "yes")
    for _ in range(30):
        last = replies[-1]
        if "Thank you!" in last:
            return
        if "more questions like these" in last:
            replies = bot.text(number, future)
        elif "what we did with your answers" in last:
            replies = bot.text(number, "no")
        else:
            replies = bot.text(number, "skip")
    raise AssertionError("the consultation never finished")


# --- reminders ---------------------------------------------------------------------------


def test_one_reminder_goes_after_the_delay_to_who_stopped_answering(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="2d")
    bot.tick()
    start_answering(bot, "+447700900201")
    bot.at("2026-06-03T09:59")
    assert bot.tick().reminders == 0
    bot.at("2026-06-03T10:00")
    assert bot.tick().reminders == 1
    (push,) = bot.pushes_to("+447700900201")
    assert push.text.split("\n")[0] == NEUTRAL  # a lock screen shows nothing more
    assert FIRST_QUESTION in push.text  # they can answer it straight away
    assert push.channel == "sms"
    assert push.dedupe_key.startswith("remind:")
    bot.at("2026-06-06T10:00")
    assert bot.tick().reminders == 0
    assert len(bot.pushes_to("+447700900201")) == 1  # one, ever


def test_a_reminder_queued_just_before_they_finish_is_no_longer_wanted(
    bot: Installation,
) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="2d")
    bot.tick()
    start_answering(bot, "+447700900209")
    bot.at("2026-06-03T10:00")
    assert bot.tick().reminders == 1

    answer_everything(bot, "+447700900209")  # before the sender got to the reminder

    with bot.runtime.db.unit_of_work() as uow:
        push = uow.pushes.next_push([Channel.SMS], bot.clock.now())
    assert push is not None
    assert push.still_wanted is False


def test_the_reminder_counts_from_the_last_answer(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="1d")
    bot.tick()
    start_answering(bot, "+447700900202")
    bot.at("2026-06-02T09:00")
    bot.text("+447700900202", "2")  # still answering, a day later
    bot.at("2026-06-02T10:00")
    assert bot.tick().reminders == 0
    bot.at("2026-06-03T09:00")
    assert bot.tick().reminders == 1


@pytest.mark.parametrize("word", ["STOP", "EXIT", "DELETE"])
def test_no_reminder_after_stop_exit_or_delete(bot: Installation, word: str) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="2d")
    bot.tick()
    start_answering(bot, "+447700900203")
    bot.text("+447700900203", word)
    bot.at("2026-06-05T10:00")
    assert bot.tick().reminders == 0
    assert bot.pushes() == []


def test_no_reminder_after_finishing_or_without_saying_yes(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="2d")
    bot.tick()
    answer_everything(bot, "+447700900204")
    bot.text("+447700900205", "SAFE")  # read the intro, never started
    bot.at("2026-06-05T10:00")
    assert bot.tick().reminders == 0
    assert bot.pushes() == []


def test_no_reminder_when_the_round_has_none_or_has_closed(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-02T12:00", reminder="2d")
    bot.schedule("heard", opens="now", closes="2026-06-30")
    bot.tick()
    start_answering(bot, "+447700900206")
    bot.text("+447700900207", "HEARD")
    bot.text("+447700900207", "yes")
    bot.at("2026-06-05T10:00")
    assert bot.tick().reminders == 0


def test_a_reminder_after_a_resume_is_not_sent_twice(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-30", reminder="1d")
    bot.tick()
    start_answering(bot, "+447700900208")
    bot.at("2026-06-02T10:00")
    assert bot.tick().reminders == 1
    bot.text("+447700900208", "2")  # came back, answered one more, went quiet again
    bot.at("2026-06-04T10:00")
    assert bot.tick().reminders == 0


# --- invitations -------------------------------------------------------------------------


def test_invitations_go_to_everyone_who_opted_in_in_their_language(bot: Installation) -> None:
    first = bot.schedule(opens="now", closes="2026-06-09")  # all of the 9th
    bot.tick()
    bot.text("+447700900301", "JOIN")  # opted in by texting JOIN
    bot.text("+447700900302", "polski")
    bot.text("+447700900302", "DOLACZ")  # JOIN, in Polish
    answer_everything(bot, "+447700900303", future="yes")  # the consultation's own question
    answer_everything(bot, "+447700900304", future="no")  # said no
    bot.text("+447700900305", "JOIN")
    bot.text("+447700900305", "STOP")  # then stopped everything
    assert bot.pushes() == []
    bot.at("2026-06-10T12:00")
    bot.tick()
    assert bot.round(first).status.value == "closed"

    bot.schedule(opens="2026-06-15T10:00", closes="2026-06-30", invite=True)
    bot.at("2026-06-15T09:59")
    assert bot.tick().invitations == 0
    bot.at("2026-06-15T10:00")
    assert bot.tick().invitations == 3
    english = bot.pushes_to("+447700900301")[0]
    polish = bot.pushes_to("+447700900302")[0]
    assert english.text.split("\n")[0] == NEUTRAL
    assert "Text SAFE" in english.text
    assert "30 June 2026" in english.text
    assert polish.text.startswith("Cześć!")
    assert "Napisz SAFE" in polish.text
    assert polish.language == "pl"
    assert len(bot.pushes_to("+447700900303")) == 1
    assert bot.pushes_to("+447700900304") == []
    assert bot.pushes_to("+447700900305") == []
    bot.at("2026-06-15T10:01")
    assert bot.tick().invitations == 0  # once per round, however often it ticks
    assert len(bot.pushes()) == 3


def test_invitations_only_where_the_round_can_be_answered(bot: Installation) -> None:
    bot.text("+447700900306", "JOIN")  # on SMS
    bot.schedule(opens="2026-06-02T10:00", closes="2026-06-30", channels="telegram", invite=True)
    bot.at("2026-06-02T10:00")
    assert bot.tick().invitations == 0
    assert bot.pushes() == []


def test_no_invitations_without_invite(bot: Installation) -> None:
    bot.text("+447700900307", "JOIN")
    bot.schedule(opens="2026-06-02T10:00", closes="2026-06-30")
    bot.at("2026-06-02T10:00")
    bot.tick()
    assert bot.pushes() == []


def test_an_unlisted_consultation_is_never_named_in_an_invitation(bot: Installation) -> None:
    with pytest.raises(RoundError, match="unlisted"):
        bot.schedule("heard", opens="2026-06-02", closes="2026-06-30", invite=True)


def test_a_cancelled_round_sends_no_invitations(bot: Installation) -> None:
    from bot.services.rounds import cancel_round

    bot.text("+447700900308", "JOIN")
    round_id = bot.schedule(opens="2026-06-02T10:00", closes="2026-06-30", invite=True)
    with bot.runtime.db.unit_of_work() as uow:
        uow.begin_write()
        cancel_round(uow, round_id, bot.clock.now())
    bot.at("2026-06-02T10:00")
    report = bot.tick()
    assert report.opened == []
    assert report.invitations == 0
    assert bot.pushes() == []
    (reply,) = bot.text("+447700900309", "SAFE")
    assert "no questions open" in reply


def test_a_telegram_keyword_for_an_sms_round_is_refused_kindly(bot: Installation) -> None:
    bot.schedule(opens="now", closes="2026-06-30", channels="sms,telegram")
    bot.tick()
    (reply,) = bot.text("+447700900310", "SAFE", channel=Channel.WHATSAPP)
    assert "can't answer those questions here" in reply
    assert "SMS, Telegram" in reply

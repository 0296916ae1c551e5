"""Rounds open and close on time, from rows, whatever happened to the scheduler meanwhile."""

from __future__ import annotations

from bot.scheduler import JOB_PURGE, Scheduler
from storage.repositories.round_rows import RoundStatus
from tests.integration.scheduler_harness import Installation

ALICE = "+447700900101"
BEN = "+447700900102"


def test_a_round_opens_at_its_time_and_not_a_minute_before(bot: Installation) -> None:
    round_id = bot.schedule(opens="2026-06-02T09:00", closes="2026-06-20")
    bot.at("2026-06-02T08:59")
    assert bot.tick().opened == []
    (early,) = bot.text(ALICE, "SAFE")
    assert "aren't open yet" in early
    assert "2 June 2026, 09:00" in early
    bot.at("2026-06-02T09:00")
    assert bot.tick().opened == [round_id]
    assert bot.round(round_id).status is RoundStatus.OPEN
    replies = bot.text(ALICE, "SAFE")
    assert any("anonymous" in reply for reply in replies)


def test_a_round_closes_at_its_time_and_its_keyword_then_says_so(bot: Installation) -> None:
    round_id = bot.schedule(opens="now", closes="2026-06-10T17:00", results_date="2026-07-15")
    bot.tick()
    bot.text(ALICE, "SAFE")
    bot.text(ALICE, "yes")  # started, never finished
    bot.at("2026-06-10T16:59")
    assert bot.tick().closed == []
    bot.at("2026-06-10T17:00")
    assert bot.tick().closed == [round_id]
    assert bot.round(round_id).status is RoundStatus.CLOSED
    # The response under way can never finish now: results count it as partial.
    assert bot.response_statuses(round_id) == ["partial"]
    (late,) = bot.text(BEN, "safe")
    assert "have closed" in late
    assert "15 July 2026" in late


def test_after_downtime_every_round_is_where_its_times_say(bot: Installation) -> None:
    short = bot.schedule(opens="2026-06-02", closes="2026-06-05", invite=True)
    current = bot.schedule(opens="2026-06-06T10:00", closes="2026-06-30")
    ended = bot.schedule("heard", opens="now", closes="2026-06-04", keyword="HEARD2")
    bot.tick()
    assert bot.round(ended).status is RoundStatus.OPEN
    # The scheduler is down from here until the 10th.
    bot.at("2026-06-10T12:00")
    restarted = Installation(bot.runtime, Scheduler(bot.runtime))
    bot.scheduler.shutdown()
    report = restarted.tick()
    assert sorted(report.closed) == sorted([short, ended])
    assert report.opened == [current]
    # A round whose whole life passed during the downtime never sends its invitations.
    assert report.invitations == 0
    with bot.runtime.db.unit_of_work() as uow:
        invitation = uow.schedule.invitation(short)
    assert invitation is not None
    assert invitation[0].value == "skipped"
    # Doing it again does nothing more.
    again = restarted.tick()
    assert (again.closed, again.opened) == ([], [])
    restarted.scheduler.shutdown()


def test_the_daily_purge_runs_once_a_day_and_catches_up_after_downtime(
    bot: Installation,
) -> None:
    assert JOB_PURGE in bot.tick().daily  # never ran: due at once
    bot.at("2026-06-01T23:00")
    assert JOB_PURGE not in bot.tick().daily
    bot.at("2026-06-02T03:00")
    assert JOB_PURGE in bot.tick().daily
    bot.at("2026-06-02T12:00")
    assert JOB_PURGE not in bot.tick().daily
    bot.at("2026-06-06T12:00")  # down for days: once, not once per missed day
    assert JOB_PURGE in bot.tick().daily
    assert JOB_PURGE not in bot.tick().daily


def test_a_round_closed_by_hand_stops_taking_answers_at_once(bot: Installation) -> None:
    from bot.services.rounds import close_round

    round_id = bot.schedule(opens="now", closes="2026-06-30")
    bot.tick()
    bot.text(ALICE, "SAFE")
    bot.text(ALICE, "yes")
    bot.at("2026-06-05T10:00")
    with bot.runtime.db.unit_of_work() as uow:
        uow.begin_write()
        close_round(uow, round_id, bot.clock.now())
    assert bot.response_statuses(round_id) == ["partial"]
    (late,) = bot.text(BEN, "SAFE")
    assert "have closed" in late
    assert bot.tick().closed == []  # nothing left for the tick to do

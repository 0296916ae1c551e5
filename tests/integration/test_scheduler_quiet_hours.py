"""Quiet hours: nothing unprompted goes out in them, on the local clock, whatever the season;
a person's own message is always answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import OutboxMessage
from tests.integration.scheduler_harness import Installation, load_samples, local, make_runtime

PERSON = "+447700900401"


def installation(tmp_path: Path, url: str, start: str, **settings: object) -> Installation:
    runtime = make_runtime(tmp_path, url, local(start), **settings)
    load_samples(runtime)
    return Installation(runtime)


@pytest.fixture
def sqlite(tmp_path: Path, sqlite_url: str) -> str:
    return sqlite_url


def stop_answering_at(bot: Installation, when: str) -> None:
    bot.at(when)
    bot.text(PERSON, "SAFE")
    bot.text(PERSON, "yes")


def test_invitations_at_midnight_wait_for_the_morning(tmp_path: Path, database_url: str) -> None:
    bot = installation(tmp_path, database_url, "2026-06-01T10:00")
    try:
        bot.text(PERSON, "JOIN")
        bot.schedule(opens="2026-06-02", closes="2026-06-30", invite=True)  # opens 00:00
        bot.at("2026-06-02T00:00")
        report = bot.tick()
        assert report.opened != []
        assert report.invitations == 0
        bot.at("2026-06-02T07:59")
        assert bot.tick().invitations == 0
        bot.at("2026-06-02T08:00")
        assert bot.tick().invitations == 1
    finally:
        bot.close()


def test_a_reminder_due_late_in_the_evening_waits_until_morning(
    tmp_path: Path, database_url: str
) -> None:
    bot = installation(tmp_path, database_url, "2026-06-01T10:00")
    try:
        bot.schedule(opens="now", closes="2026-06-30", reminder="2h")
        bot.tick()
        stop_answering_at(bot, "2026-06-01T20:00")  # due at 22:00
        for when in ("2026-06-01T20:59", "2026-06-01T22:00", "2026-06-01T23:59"):
            bot.at(when)
            assert bot.tick().reminders == 0, when
        for when in ("2026-06-02T00:01", "2026-06-02T07:59"):
            bot.at(when)
            assert bot.tick().reminders == 0, when
        bot.at("2026-06-02T08:00")
        assert bot.tick().reminders == 1
    finally:
        bot.close()


@pytest.mark.parametrize(
    ("evening", "before", "after"),
    [
        # Spring forward (29 March 2026): 08:00 BST is 07:00 UTC.
        ("2026-03-28T20:30", "2026-03-29T07:59", "2026-03-29T08:00"),
        # Fall back (25 October 2026): 08:00 GMT is 08:00 UTC, an hour "later" than the day before.
        ("2026-10-24T20:30", "2026-10-25T07:59", "2026-10-25T08:00"),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_quiet_hours_keep_to_the_local_clock_across_clock_changes(
    tmp_path: Path, sqlite: str, evening: str, before: str, after: str
) -> None:
    bot = installation(tmp_path, sqlite, evening)
    try:
        bot.schedule(opens="now", closes=after[:10], reminder="6h")
        bot.tick()
        stop_answering_at(bot, evening)  # due at 02:30 the next night: in quiet hours
        bot.at(before)
        assert bot.tick().reminders == 0
        bot.at(after)
        assert bot.tick().reminders == 1
        (push,) = bot.pushes()
        assert push.not_before is not None
        assert push.not_before.astimezone(local(after).tzinfo).strftime("%H:%M") == "08:00"
    finally:
        bot.close()


def test_quiet_hours_can_be_turned_off(tmp_path: Path, sqlite: str) -> None:
    bot = installation(tmp_path, sqlite, "2026-06-01T10:00", quiet_hours="")
    try:
        bot.schedule(opens="now", closes="2026-06-30", reminder="2h")
        bot.tick()
        stop_answering_at(bot, "2026-06-01T21:30")
        bot.at("2026-06-01T23:30")
        assert bot.tick().reminders == 1
    finally:
        bot.close()


def test_a_persons_own_message_is_answered_at_once_even_at_night(
    tmp_path: Path, sqlite: str
) -> None:
    bot = installation(tmp_path, sqlite, "2026-06-01T10:00")
    try:
        bot.schedule(opens="now", closes="2026-06-30")
        bot.tick()
        bot.at("2026-06-01T23:30")
        replies = bot.text(PERSON, "SAFE")
        assert any("anonymous" in reply for reply in replies)
        with bot.runtime.db.unit_of_work() as uow:
            rows = list(uow.session.scalars(select(OutboxMessage)))
        assert rows
        assert all(row.kind == "reply" for row in rows)
        assert all(row.status == "sent" for row in rows)
    finally:
        bot.close()

"""`yousaid round ...` and `yousaid scheduler run` as an officer types them.

The whole life of a round runs in real processes; the many ways to get a schedule wrong run
the same command in-process (it is the same parser and the same code, minus the start-up
time). The commands run on the real clock, so rounds here are set years ahead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.errors import run_guarded
from bot.cli.main import cli
from tests.e2e.cli import SAMPLES, Run, assert_no_traceback, environment, yousaid


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = environment(tmp_path, database_url)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES))
    assert loaded.code == 0, loaded.err
    return env


class InProcess:
    """`yousaid ARGS` run in this process, with a fresh installation's environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *args: str) -> Run:
        self._capsys.readouterr()
        code = run_guarded(cli, list(args))
        captured = self._capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def officer(
    tmp_path: Path,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> InProcess:
    for name, value in environment(tmp_path, sqlite_url).items():
        if name.startswith("YOUSAID_"):
            monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    run = InProcess(monkeypatch, capsys)
    loaded = run("consultation", "load", str(SAMPLES))
    assert loaded.code == 0, loaded.err
    return run


def round_id(run: Run) -> str:
    found = re.search(r"Round ([0-9a-f]{8}) ", run.out)
    assert found, run.out
    return found.group(1)


def refused(run: Run) -> str:
    """The one-line error of a refused command (exit 1, no traceback)."""
    assert run.code == 1, (run.out, run.err)
    assert_no_traceback(run)
    assert run.err.startswith("error: "), run.err
    return run.err


def test_an_officer_schedules_lists_shows_and_closes_a_round(env: dict[str, str]) -> None:
    scheduled = yousaid(
        env,
        *("round", "schedule", "feeling-safe"),
        *("--opens", "2031-07-01T09:00", "--closes", "2031-07-21"),
        *("--channels", "sms,telegram", "--reminder", "2d", "--invite"),
        *("--results-date", "2031-09-01"),
    )
    assert scheduled.code == 0, scheduled.err
    first = round_id(scheduled)
    assert "Opens: Tue 1 Jul 2031 09:00 BST" in scheduled.out
    assert "Closes: the end of Mon 21 Jul 2031" in scheduled.out
    assert "Keyword: SAFE" in scheduled.out
    assert "sms, telegram" in scheduled.out
    assert "after 2 days" in scheduled.out

    listed = yousaid(env, "round", "list")
    assert listed.code == 0, listed.err
    assert first in listed.out
    assert "scheduled" in listed.out
    assert "has not run yet" in listed.out

    shown = yousaid(env, "round", "show", first)
    assert shown.code == 0, shown.err
    assert "Invitations: when it opens (not sent yet)" in shown.out
    assert "Results shared: Mon 1 Sep 2031\n" in shown.out

    # It hasn't opened, so it can be called off, but not closed.
    assert "hasn't opened yet" in refused(yousaid(env, "round", "close", first))
    cancelled = yousaid(env, "round", "cancel", first)
    assert cancelled.code == 0, cancelled.err
    assert "cancelled" in yousaid(env, "round", "list").out

    now_round = round_id(
        yousaid(env, "round", "schedule", "heard", "--opens", "now", "--closes", "2031-01-31")
    )
    assert "has opened already" in refused(yousaid(env, "round", "cancel", now_round))
    closed = yousaid(env, "round", "close", now_round)
    assert closed.code == 0, closed.err and "closed" in closed.out
    assert "has closed already" in refused(yousaid(env, "round", "close", now_round))


def test_closing_early_says_what_happened_and_every_command_agrees_on_the_dates(
    env: dict[str, str],
) -> None:
    opened = round_id(
        yousaid(
            env, "round", "schedule", "feeling-safe", "--opens", "now", "--closes", "2031-01-31"
        )
    )
    # What a participant was promised when they took part: DELETE works until 15 February
    # (the end of 31 January, plus the consultation's 14 days).
    told = yousaid(env, "chat", "--live", "--as", "ana", stdin="SAFE\nPRIVACY\n")
    assert "15 February 2031" in told.out

    closed = yousaid(env, "round", "close", opened)
    shown = yousaid(env, "round", "show", opened)
    listed = yousaid(env, "round", "list")

    assert closed.code == shown.code == listed.code == 0, closed.err + shown.err + listed.err
    assert f"Round {opened} is closed now (" in closed.out
    assert "it takes no more answers" in closed.out
    assert "It was due to close the end of Fri 31 Jan 2031 (midnight GMT)." in closed.out
    assert "can still text DELETE to erase their answers until the end of Sat 15 Feb 2031" in (
        flat(closed.out)
    )
    assert "2031" not in closed.out.splitlines()[0]  # the first line is about now
    assert "Closes: closed early, " in shown.out
    assert "(it was due to close the end of Fri 31 Jan 2031 (midnight GMT))" in shown.out
    assert "DELETE erases answers until: the end of Sat 15 Feb 2031" in shown.out
    assert "Status: closed" in shown.out
    block = listed.out.split(f"Round {opened} of feeling-safe, keyword SAFE: closed\n", 1)[1]
    assert block.startswith("  Opens: ")
    assert "  Closes: closed early, " in block.split("\n\n")[0]
    assert "  DELETE erases answers until: the end of Sat 15 Feb 2031\n" in block


def flat(text: str) -> str:
    """The text with runs of spaces (and table borders' line breaks) as one space."""
    return " ".join(text.replace("│", " ").split())


def test_the_keyword_of_a_round_not_open_yet_says_when(env: dict[str, str]) -> None:
    yousaid(
        env,
        "round",
        "schedule",
        "feeling-safe",
        "--opens",
        "2031-07-01T09:00",
        "--closes",
        "2031-07-21",
    )
    chat = yousaid(env, "chat", stdin="SAFE\n")
    assert chat.code == 0, chat.err
    assert "aren't open yet" in chat.out
    assert "1 July 2031, 09:00" in chat.out


def test_scheduler_run_once_opens_what_is_due(env: dict[str, str]) -> None:
    opened = round_id(
        yousaid(
            env, "round", "schedule", "feeling-safe", "--opens", "now", "--closes", "2031-01-31"
        )
    )
    run = yousaid(env, "scheduler", "run", "--once")
    assert run.code == 0, run.err
    assert "opened 1" in run.out
    assert re.search(rf"{opened} .*open", yousaid(env, "round", "list").out)
    assert "last ran" in yousaid(env, "round", "list").out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("no-such-thing", "--opens", "2031-07-01", "--closes", "2031-07-21"),
            "there is no consultation 'no-such-thing' (loaded: feeling-safe, heard)",
        ),
        (
            ("feeling-safe", "--opens", "2020-07-01", "--closes", "2031-07-21"),
            "is in the past; use --opens now",
        ),
        (
            ("feeling-safe", "--opens", "2031-07-21", "--closes", "2031-07-01"),
            "a round must close after it opens",
        ),
        (
            ("feeling-safe", "--opens", "2031-03-30T01:30", "--closes", "2031-04-30"),
            "doesn't exist in Europe/London: the clocks go forward",
        ),
        (
            ("feeling-safe", "--opens", "2031-10-26T01:30", "--closes", "2031-11-30"),
            "happens twice in Europe/London: the clocks go back",
        ),
        (
            ("feeling-safe", "--opens", "next tuesday", "--closes", "2031-11-30"),
            "write it like 2026-07-01, 2026-07-01T09:00",
        ),
        (
            (
                "feeling-safe",
                "--opens",
                "2031-07-01",
                "--closes",
                "2031-07-21",
                "--channels",
                "sms,fax",
            ),
            "'fax', which is not a channel",
        ),
        (
            (
                "feeling-safe",
                "--opens",
                "2031-07-01",
                "--closes",
                "2031-07-21",
                "--keyword",
                "STOP",
            ),
            "one of the words the bot itself listens for",
        ),
        (
            (
                "feeling-safe",
                "--opens",
                "2031-07-01",
                "--closes",
                "2031-07-21",
                "--keyword",
                "two words",
            ),
            "can't be texted as one word",
        ),
        (
            ("feeling-safe", "--opens", "2031-07-01", "--closes", "2031-07-21", "--reminder", "9d"),
            "shorter than 7 days",
        ),
        (
            (
                "feeling-safe",
                "--opens",
                "2031-07-01",
                "--closes",
                "2031-07-21",
                "--reminder",
                "soon",
            ),
            "write it like 2d",
        ),
        (("heard", "--opens", "2031-07-01", "--closes", "2031-07-21", "--invite"), "unlisted"),
        (
            (
                "feeling-safe",
                "--opens",
                "2031-07-01",
                "--closes",
                "2031-07-21",
                "--results-date",
                "2031-07-10",
            ),
            "results can only be shared after",
        ),
    ],
    ids=[
        "unknown-consultation",
        "past",
        "close-before-open",
        "clocks-forward",
        "clocks-back",
        "unreadable-time",
        "bad-channel",
        "reserved-keyword",
        "two-word-keyword",
        "reminder-too-long",
        "unreadable-reminder",
        "unlisted-invite",
        "results-before-close",
    ],
)
def test_bad_round_schedules_are_refused_plainly(
    officer: InProcess, args: tuple[str, ...], says: str
) -> None:
    assert says in refused(officer("round", "schedule", *args))
    assert "No rounds yet" in officer("round", "list").out  # nothing half-made


def test_overlapping_rounds_with_the_same_keyword_are_refused(officer: InProcess) -> None:
    first = round_id(
        officer(
            "round",
            "schedule",
            "feeling-safe",
            "--opens",
            "2031-07-01",
            "--closes",
            "2031-07-21",
        )
    )
    clash = officer(
        "round",
        "schedule",
        "feeling-safe",
        "--opens",
        "2031-07-15",
        "--closes",
        "2031-08-01",
    )
    assert f"round {first} of feeling-safe uses the keyword SAFE" in refused(clash)
    own_keyword = officer(
        *("round", "schedule", "feeling-safe", "--opens", "2031-07-15", "--closes", "2031-08-01"),
        *("--keyword", "SAFE2"),
    )
    assert own_keyword.code == 0, own_keyword.err


@pytest.mark.parametrize("command", ["show", "close", "cancel"])
def test_an_unknown_round_is_named_plainly(officer: InProcess, command: str) -> None:
    assert "there is no round abc12345" in refused(officer("round", command, "abc12345"))

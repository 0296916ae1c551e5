"""`yousaid chat` as a scripted participant, through real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli import SAMPLES, assert_no_traceback, environment, yousaid


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = environment(tmp_path, database_url)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    return env


def responses(env: dict[str, str]) -> dict[str, int]:
    """The round's response counts as an officer sees them (threshold 1: nothing hidden)."""
    run = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    assert run.code == 0, run.err
    total = json.loads(run.out)["responses"]["total"]
    return {name: count["count"] for name, count in total.items()}


def messages(output: str) -> list[str]:
    return [block for block in output.strip().split("\n\n") if block]


def test_first_message_gets_neutral_welcome_naming_listed_keywords(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", stdin="")
    assert run.code == 0, run.err
    assert "SAFE" in run.out
    assert "HEARD" not in run.out  # an unlisted consultation is never named


def test_piped_chat_answers_a_whole_consultation_and_counts_live(env: dict[str, str]) -> None:
    script = "SAFE\nyes\n" + "skip\n" * 12
    run = yousaid(env, "chat", "--live", stdin=script)
    assert run.code == 0, run.err
    assert_no_traceback(run)
    out = messages(run.out)
    assert any("anonymous" in m.lower() for m in out)
    assert responses(env)["finished"] == 1


def test_preview_chat_is_kept_out_of_results(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", stdin="SAFE\nyes\n" + "skip\n" * 12)
    assert "Thank you" in run.out
    assert responses(env) == {"started": 0, "finished": 0, "partial": 0, "in_progress": 0}


def test_same_name_is_the_same_participant(env: dict[str, str]) -> None:
    script = "SAFE\nyes\n" + "skip\n" * 12
    yousaid(env, "chat", "--live", "--as", "kiosk-1", stdin=script)
    again = yousaid(env, "chat", "--live", "--as", "kiosk-1", stdin="SAFE\n")
    assert "already" in again.out.lower()


def test_stop_then_silence_then_start(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", "--as", "sam", stdin="SAFE\nStop.\nhello\nhello again\nSTART\n")
    out = messages(run.out)
    stop_notices = [m for m in out if "START" in m and "stopped" in m.lower()]
    assert len(stop_notices) <= 2  # the STOP confirmation and at most one reminder
    assert "back" in out[-1].lower() or "SAFE" in out[-1]


@pytest.mark.parametrize(
    "line",
    ["", "x" * 10_000, "😀😀😀", "مرحبا كيف حالك", "\x00\x07 odd bytes"],
    ids=["empty", "10k", "emoji", "rtl", "control"],
)
def test_bad_input_gets_a_polite_reply_and_no_traceback(env: dict[str, str], line: str) -> None:
    run = yousaid(env, "chat", stdin=f"SAFE\nyes\n{line}\n")
    assert run.code == 0
    assert_no_traceback(run)
    assert len(messages(run.out)) >= 4

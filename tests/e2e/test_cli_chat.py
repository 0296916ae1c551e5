"""`yousaid chat` as a scripted participant, and `make run`'s first steps, through real processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import SAMPLES, assert_no_traceback, environment, yousaid


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = environment(tmp_path, database_url)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    return env


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
    results = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    assert results.code == 0, results.err
    assert '"finished"' in results.out


def test_preview_chat_is_kept_out_of_results(env: dict[str, str]) -> None:
    yousaid(env, "chat", stdin="SAFE\nyes\n" + "skip\n" * 12)
    results = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    assert results.code == 0, results.err
    assert '"started": 0' in results.out.replace(" ", " ") or '"started":0' in results.out


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

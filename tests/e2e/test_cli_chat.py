"""`yousaid chat` as a scripted participant, through real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli import REPO, SAMPLES, assert_no_traceback, environment, yousaid


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
    run = yousaid(env, "chat", "--live", stdin="hi\n")
    assert run.code == 0, run.err
    assert "SAFE" in run.out
    assert "HEARD" not in run.out  # an unlisted consultation is never named


def test_hi_first_gets_the_welcome_once(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", "--live", stdin="hi\nSAFE\n")
    assert run.code == 0, run.err
    out = messages(run.out)
    assert sum("Text SAFE to answer" in m for m in out) == 1
    assert out[0].startswith("Hi! You can have your say here.")
    assert any("Safer Streets team" in m for m in out[1:])


def test_a_preview_says_once_that_it_is_not_counted(env: dict[str, str]) -> None:
    preview = yousaid(env, "chat", stdin="hi\nSAFE\nyes\n2\n")
    live = yousaid(env, "chat", "--live", stdin="hi\n")
    assert preview.code == live.code == 0
    out = messages(preview.out)
    assert out[0] == (
        "(A preview: these answers are not counted in results. Add --live to count them.)"
    )
    assert sum("preview" in m.lower() for m in out) == 1
    assert "preview" not in live.out.lower()


def test_polish_is_offered_only_where_a_consultation_offers_it(
    tmp_path: Path, sqlite_url: str
) -> None:
    english_only = tmp_path / "club.yaml"
    text = (REPO / "tests" / "data" / "consultations" / "one_language.yaml").read_text()
    english_only.write_text(text.replace("listed: no", "listed: yes"))
    env = environment(tmp_path, sqlite_url)
    assert yousaid(env, "consultation", "load", str(english_only), "--open").code == 0

    only_english = yousaid(env, "chat", "--live", stdin="hi\nclub\n")
    assert yousaid(env, "consultation", "load", str(SAMPLES), "--open").code == 0
    both = yousaid(env, "chat", "--live", stdin="hi\n")

    assert "Text CLUB to answer" in only_english.out
    assert "Polski" not in only_english.out  # neither the welcome nor the opening
    assert "Polski: napisz POLSKI" in both.out  # feeling-safe is in Polish too


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

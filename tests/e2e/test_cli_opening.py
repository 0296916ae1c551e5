"""The opening a participant reads before the first question, and what it costs, through
the real `yousaid` command: two SMS segments in English with the sample intro, the rest on
request (PRIVACY), and `consultation validate` prints the costs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.segments import count_segments
from tests.e2e.cli import SAMPLES, environment, yousaid

FIRST_QUESTION = "How safe do you feel in your area after dark?"


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    env = environment(tmp_path, sqlite_url)
    assert yousaid(env, "consultation", "load", str(SAMPLES), "--open").code == 0
    return env


def blocks(output: str) -> list[str]:
    return [block for block in output.strip().split("\n\n") if block]


def test_the_opening_is_three_segments_before_the_first_question(env: dict[str, str]) -> None:
    # Two with one other language; the sample offers four others (issue 17), and their
    # lines take the bot's own message to a second GSM-7 segment.
    run = yousaid(env, "chat", "--live", stdin="SAFE\nyes\n")
    assert run.code == 0, run.err
    shown = blocks(run.out)
    first = next(i for i, block in enumerate(shown) if block.startswith(FIRST_QUESTION))
    opening = shown[:first]

    assert len(opening) == 2  # the officer's intro, then the bot's own lines
    assert sum(count_segments(text).segments for text in opening) == 3
    intro, own = opening
    assert "Safer Streets team" in intro
    assert count_segments(own).segments == 2
    assert count_segments(own).encoding == "GSM-7"
    # Consent, anonymity and safety stay, in few words.
    for words in ("anonymous", "can't send help", "999", "HELP", "PRIVACY", "YES", "STOP"):
        assert words in own, words
    assert own.splitlines()[-4:] == [
        "Polski: napisz POLSKI",
        "Portugues: envie PORTUGUES",
        "Español: escribe ESPANOL",
        "Soomaali: qor SOOMAALI",
    ]


def test_privacy_gives_the_rest_and_info_stays_a_help_word(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", "--live", stdin="SAFE\nPRIVACY\nINFO\nyes\nPRIVACY\n")
    assert run.code == 0, run.err
    shown = blocks(run.out)
    privacy = [b for b in shown if "results never show who said what" in b]
    phone = [b for b in shown if b.startswith("Our texts stay on your phone")]
    helplines = [b for b in shown if "Childline" in b]

    assert len(privacy) == 2  # at the intro and at a question
    assert "14 days after this closes you can text DELETE to erase your answers" in privacy[0]
    assert len(phone) == 2
    assert helplines
    assert "results never show" not in helplines[0]
    assert shown[-1].startswith(FIRST_QUESTION)  # PRIVACY mid-way repeats the question


def test_validate_prints_the_cost_of_the_opening_and_of_a_whole_run(env: dict[str, str]) -> None:
    run = yousaid(env, "consultation", "validate", str(SAMPLES / "heard.yaml"), "--price", "0.05")
    default = yousaid(env, "consultation", "validate", str(SAMPLES / "feeling-safe.yaml"))
    priced = yousaid(
        {**env, "YOUSAID_SEGMENT_PRICE": "0.10"},
        "consultation",
        "validate",
        str(SAMPLES / "feeling-safe.yaml"),
    )

    assert run.code == default.code == priced.code == 0, run.err + default.err + priced.err
    assert "Cost per person in SMS segments, at £0.05 a segment:" in run.out
    # heard: "didn't want any" support skips three questions; some support asks all six.
    assert (
        "en: opening 2 segments before the first question; a whole run 6 to 10 segments "
        "(3 to 6 questions): £0.30 to £0.50"
    ) in run.out
    assert "pl: opening 5 segments" in run.out
    assert "at £0.04 a segment" in default.out  # YOUSAID_SEGMENT_PRICE's default
    assert "en: opening 3 segments" in default.out  # four other languages offered
    assert "at £0.10 a segment" in priced.out
    assert "PRIVACY 1 (asked for)" in default.out
    bad = yousaid(env, "consultation", "validate", str(SAMPLES / "heard.yaml"), "--price", "lots")
    assert bad.code == 1
    assert "write it like 0.04" in bad.err

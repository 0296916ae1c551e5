"""Safeguarding through the command line, on SQLite and PostgreSQL: `yousaid chat` piped,
`yousaid review list/done`, results without flagged text, and bad word lists at start."""

from __future__ import annotations

import json
import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.runtime import open_runtime
from bot.services.review import log_review_digest
from bot.settings import Settings
from tests.e2e.cli import CONFIG_DIR, SAMPLES, assert_no_traceback, environment, yousaid

FIRST_LINE = "In danger now? Call 999. On a mobile, if you can't speak, call 999 then press 55."
FIRST_LINE_PL = "W niebezpieczenstwie? Dzwon 999."
REMINDER = "If you need help now, text HELP for numbers to call."
AFTER_DARK = "How safe do you feel in your area after dark?"
SCHOOL = "How safe do you feel at school"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = environment(tmp_path, database_url)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    return env


def messages(output: str) -> list[str]:
    return [block for block in output.strip().split("\n\n") if block]


def settings_of(env: dict[str, str]) -> Settings:
    """The settings the `yousaid` processes of `env` run with, for work done in-process."""
    values: dict[str, object] = {
        "var_dir": Path(env["YOUSAID_VAR_DIR"]),
        "database_url": env["YOUSAID_DATABASE_URL"],
        "config_dir": CONFIG_DIR,
    }
    if "YOUSAID_SECRET_KEY" in env:
        values["secret_key"] = env["YOUSAID_SECRET_KEY"]
    return Settings(**values)  # type: ignore[arg-type]


def test_piped_chat_gets_helplines_before_the_next_question_then_a_reminder(
    env: dict[str, str],
) -> None:
    script = "SAFE\nyes\n3\nmy dad hits me\nhe hits me again\n"
    run = yousaid(env, "chat", "--live", stdin=script)
    assert run.code == 0, run.err
    assert_no_traceback(run)
    out = messages(run.out)
    first = next(i for i, m in enumerate(out) if m.startswith(FIRST_LINE))
    assert SCHOOL in out[first + 1]  # the next question comes after the helplines
    assert "Childline 0800 1111" in out[first]
    assert out[first + 2] == REMINDER  # the second disclosure: one line
    assert sum(m.startswith(FIRST_LINE) for m in out) == 1


def test_piped_chat_in_polish_gets_polish_helplines(env: dict[str, str]) -> None:
    run = yousaid(env, "chat", stdin="SAFE\nPOLSKI\ntak\nojczym mnie bije\n")
    assert run.code == 0, run.err
    out = messages(run.out)
    assert out[-2].startswith(FIRST_LINE_PL)
    assert "Jak bezpiecznie" in out[-1]


def test_review_list_and_done(env: dict[str, str]) -> None:
    yousaid(env, "chat", "--live", stdin="SAFE\nyes\n3\nim 12 and my stepdad hits me 07700900123\n")

    listed = yousaid(env, "review", "list")
    assert listed.code == 0, listed.err
    assert "1 item waiting for review" in listed.out
    assert "feeling-safe" in listed.out
    assert "abuse at home" in listed.out
    assert "a child giving their age" in listed.out
    assert "my stepdad hits me" in listed.out
    assert "07700900123" not in listed.out
    item_id = listed.out.split("\n\n")[1].split()[0]

    unknown = yousaid(env, "review", "done", "ffffffff")
    assert unknown.code == 1
    assert "no review item" in unknown.err

    marked = yousaid(env, "review", "done", item_id, "--note", "passed to the DSL")
    assert marked.code == 0, marked.err
    assert f"Marked {item_id}" in marked.out
    assert "Nothing waiting for review" in yousaid(env, "review", "list").out


def test_review_list_is_newest_first_and_names_no_person(env: dict[str, str]) -> None:
    runtime = open_runtime(settings_of(env))
    try:
        with runtime.db.unit_of_work() as uow:
            uow.reviews.add("violence", "older one", "feeling-safe", None, date(2026, 3, 1))
            uow.reviews.add("self_harm", "newer one", None, None, date(2026, 3, 5))
    finally:
        runtime.db.close()

    run = yousaid(env, "review", "list")
    assert run.code == 0, run.err
    assert run.out.index("newer one") < run.out.index("older one")
    assert "2026-03-05" in run.out
    assert "self-harm and suicide" in run.out
    assert "no consultation" in run.out


def test_flagged_text_is_absent_from_results(env: dict[str, str]) -> None:
    env = {**env, "YOUSAID_RELEASE_BATCH": "2"}
    ordinary = "SAFE\nyes\n3\nthe underpass is dark\n" + "skip\n" * 10
    flagged = "SAFE\nyes\n3\nmy stepdad touches me at night\n" + "skip\n" * 10
    for script in (ordinary, flagged):
        run = yousaid(env, "chat", "--live", stdin=script)
        assert run.code == 0, run.err
    assert yousaid(env, "privacy", "release").code == 0

    run = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    assert run.code == 0, run.err
    [why] = [q for q in json.loads(run.out)["questions"] if q["id"] == "why_unsafe"]
    assert why["answered"]["count"] == 2
    assert "the underpass is dark" in why["answers"]  # free text is listed here...
    assert "stepdad" not in run.out
    assert "touches" not in run.out


def test_a_bad_word_list_entry_stops_the_start_with_its_file_and_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    broken = config / "safeguarding" / "pl.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("violence:"))
    lines.insert(at + 1, "  - he said: come here")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    run = yousaid({**env, "YOUSAID_CONFIG_DIR": str(config)}, "chat", stdin="hi\n")

    assert run.code == 1
    assert_no_traceback(run)
    assert f"{broken}:{at + 2}:" in run.err
    assert "quotes" in run.err


def test_the_digest_logs_a_count_and_never_the_text(
    env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    runtime = open_runtime(settings_of(env))
    try:
        with caplog.at_level(logging.INFO, logger="bot.services.review"):
            assert log_review_digest(runtime) == 0
            assert not caplog.records  # nothing waits: no line
            with runtime.db.unit_of_work() as uow:
                uow.reviews.add("violence", "he hits me", None, None, date(2026, 3, 1))
                uow.reviews.add("self_harm", "kms", None, None, date(2026, 3, 1))
            assert log_review_digest(runtime) == 2
    finally:
        runtime.db.close()
    [record] = caplog.records
    assert "2 items waiting" in record.getMessage()
    assert "hits" not in record.getMessage()
    assert "kms" not in record.getMessage()


@pytest.mark.parametrize(
    ("script", "language"),
    [
        ("SAFE\nyes\n3\nthe thing is my step dad\ncomes in my bed when mum is at work\n", "en"),
        ("SAFE\nPOLSKI\ntak\n3\nchodzi o wujka\ndotyka mnie w nocy jak mama jest w pracy\n", "pl"),
    ],
)
def test_the_terminal_catches_a_split_disclosure_and_not_an_idiom(
    env: dict[str, str], script: str, language: str
) -> None:
    run = yousaid(env, "chat", stdin=script)
    assert run.code == 0, run.err
    assert_no_traceback(run)
    blocks = [b for b in run.out.strip().split("\n\n") if b]
    first_line = "In danger now? Call 999" if language == "en" else "W niebezpieczenstwie"
    assert sum(b.startswith(first_line) for b in blocks) == 1
    assert blocks[-2].startswith(first_line)  # on the second half, before what comes next

    quiet = yousaid(env, "chat", stdin="SAFE\nyes\n3\nmy mum would kill me if i was late\n")
    assert quiet.code == 0, quiet.err
    assert not any(b.startswith("In danger now?") for b in quiet.out.split("\n\n"))
    assert "0800" not in quiet.out
    assert "HELP for numbers" not in quiet.out

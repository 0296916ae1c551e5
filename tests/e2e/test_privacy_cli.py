"""`yousaid privacy purge|release`, `yousaid keys rotate` and DELETE, through real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.crypto import Keys, parse_secret
from storage.models import Answer, Participant, PendingAnswer, Response
from storage.uow import Database
from tests.e2e.cli import SAMPLES, assert_no_traceback, environment, yousaid

SECRET = "3c" * 32
PII = "a man at 14 Lewis Grove SE13 5AB keeps texting me on 07700 900321"
ANSWERS = "SAFE\nyes\n3\n{text}\n4\n1 3\nskip\nno\nno\n"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = environment(tmp_path, database_url, YOUSAID_SECRET_KEY=SECRET)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    return env


def take_part(env: dict[str, str], name: str, text: str = PII) -> str:
    run = yousaid(env, "chat", "--live", "--as", name, stdin=ANSWERS.format(text=text))
    assert run.code == 0, run.err
    assert_no_traceback(run)
    return run.out


def results(env: dict[str, str]) -> dict[str, object]:
    run = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert isinstance(report, dict)
    return report


def why_unsafe(report: dict[str, object]) -> dict[str, object]:
    questions = report["questions"]
    assert isinstance(questions, list)
    return next(q for q in questions if q["id"] == "why_unsafe")


def database(env: dict[str, str]) -> Database:
    return Database.open(env["YOUSAID_DATABASE_URL"], Keys(parse_secret(SECRET)), migrate=False)


def rows(env: dict[str, str], model: type) -> int:
    db = database(env)
    try:
        with db.unit_of_work() as uow:
            return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        db.close()


def test_release_lists_free_text_only_after_the_batch_goes_out(env: dict[str, str]) -> None:
    take_part(env, "ada", "the bus stop by the chicken shop")
    take_part(env, "bo", "the bus stop by the chicken shop")
    before = why_unsafe(results(env))
    assert before["answered"] == {"count": 2, "suppressed": False}
    assert not before["answers"]

    run = yousaid(env, "privacy", "release")

    assert run.code == 0, run.err
    assert "from 2 responses" in run.out
    assert why_unsafe(results(env))["answers"] == ["the bus stop by the chicken shop"] * 2
    assert rows(env, PendingAnswer) == 0
    again = yousaid(env, "privacy", "release")
    assert "Nothing to release" in again.out


def test_purge_prints_what_each_rule_did(env: dict[str, str]) -> None:
    take_part(env, "cy")

    run = yousaid(env, "privacy", "purge")

    assert run.code == 0, run.err
    assert_no_traceback(run)
    lines = run.out.strip().splitlines()
    assert any("conversations expired" in line for line in lines)
    assert any("provider message ids" in line for line in lines)
    assert all(line.split()[0].isdigit() for line in lines[:-1])
    assert "cleared from the database files" in lines[-1]


def test_delete_in_the_terminal_erases_the_answers_and_then_the_person(
    env: dict[str, str],
) -> None:
    take_part(env, "dee")
    take_part(env, "eli", "the alley behind the library")
    assert results(env)["responses"]["total"]["finished"]["count"] == 2  # type: ignore[index]
    assert yousaid(env, "privacy", "release").code == 0  # DELETE finds released answers too

    run = yousaid(env, "chat", "--live", "--as", "dee", stdin="DELETE\n")

    assert run.code == 0, run.err
    reply = run.out.strip().split("\n\n")[-1]  # after the welcome
    assert len(reply.splitlines()) == 1
    assert "deleted" in reply.lower()
    assert results(env)["responses"]["total"]["finished"]["count"] == 1  # type: ignore[index]
    assert rows(env, Response) == 1
    assert (rows(env, PendingAnswer), rows(env, Answer)) == (0, 7)  # eli's answers only

    purged = yousaid(env, "privacy", "purge")
    assert purged.code == 0, purged.err
    db = database(env)
    try:
        with db.unit_of_work() as uow:
            dee = db.keys.pseudonym("term:dee")
            assert uow.session.get(Participant, dee) is None  # not even the pseudonym is left
    finally:
        db.close()


def test_keys_rotate_keeps_every_conversation_going(env: dict[str, str]) -> None:
    first = yousaid(env, "chat", "--live", "--as", "fay", stdin="SAFE\nyes\n")
    assert "How safe do you feel in your area after dark?" in first.out

    rotated = yousaid(env, "keys", "rotate")

    assert rotated.code == 0, rotated.err
    assert "Encryption key 2 is now in use" in rotated.out
    checked = yousaid(env, "keys", "check")
    assert checked.code == 0
    assert "matches" in checked.out
    carried_on = yousaid(env, "chat", "--live", "--as", "fay", stdin="2\n")
    assert "How safe do you feel at school" in carried_on.out
    wrong = yousaid({**env, "YOUSAID_SECRET_KEY": "4d" * 32}, "keys", "check")
    assert wrong.code == 1
    assert "does not match" in wrong.err


def test_a_subject_access_request_and_an_erasure_by_letter(env: dict[str, str]) -> None:
    take_part(env, "gus", "the stairs in the flats")

    found = yousaid(env, "privacy", "lookup", "term:gus")

    assert found.code == 0, found.err
    assert "why_unsafe: the stairs in the flats" in found.out
    assert "what_would_help: lighting, patrols" in found.out  # two picks, not a tuple
    assert "(" not in found.out.split("what_would_help:", 1)[1].splitlines()[0]
    assert "can still be withdrawn" in found.out
    erased = yousaid(env, "privacy", "erase", "term:gus", "--yes")
    assert erased.code == 0
    assert "Erased" in erased.out
    again = yousaid(env, "privacy", "lookup", "term:gus")
    assert "Nothing is held" in again.out
    assert results(env)["responses"]["total"]["started"]["count"] == 0  # type: ignore[index]
    bad = yousaid(env, "privacy", "lookup", "not a number")
    assert bad.code == 1
    assert "not an address" in bad.err

"""The audit log: every officer action leaves one entry, what and when, and nothing personal.

The commands run as real processes, after people full of personal details have taken part
through `yousaid chat --live`; the log's rows and `yousaid audit list` are then searched
for every one of those details.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.scheduler import Scheduler
from storage.crypto import Keys, parse_secret
from storage.models_audit import AuditEntry
from storage.uow import Database
from tests.e2e.cli import CONFIG_DIR, SAMPLES, Run, assert_no_traceback, environment, yousaid
from tests.integration.scheduler_harness import load_samples, make_runtime

SECRET = "6a" * 32
EXAMPLE_UPDATE = CONFIG_DIR / "updates" / "feeling-safe-example.yaml"
# Names with letters that are not hex digits, so no random id can contain them.
KAYLA, MARCUS = "kayla", "marcus"
DISCLOSURE = (
    "he hits me at home, text me on 07700 900321 or kayla.m2009@example.com, "
    "I live at 14 Lewis Grove SE13 5AB"
)
HALFWAY = "my stepdad Trevor waits by the underpass, call +44 7700 900654"
NOTE = "rang Trevor's school about it on 020 7946 0321"
SENSITIVE = (
    KAYLA,
    MARCUS,
    "term:",
    "07700 900321",
    "07700900321",
    "+447700900321",
    "900321",
    "7700 900654",
    "447700900654",
    "900654",
    "kayla.m2009",
    "example.com",
    "Lewis Grove",
    "SE13 5AB",
    "SE135AB",
    "hits me",
    "Trevor",
    "stepdad",
    "underpass",
    "020 7946 0321",
    "02079460321",
    "rang",
)
FINISHED = "SAFE\nyes\n4\n{text}\n4\n1 3\nskip\nyes\nno\n"
STOPPED_HALFWAY = "SAFE\nyes\n3\n{text}\n"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return environment(tmp_path, database_url, YOUSAID_SECRET_KEY=SECRET, COLUMNS="300")


def run(env: dict[str, str], *args: str, stdin: str = "") -> Run:
    done = yousaid(env, *args, stdin=stdin)
    assert done.code == 0, f"yousaid {' '.join(args)}: {done.err}"
    assert_no_traceback(done)
    return done


def database(env: dict[str, str]) -> Database:
    return Database.open(env["YOUSAID_DATABASE_URL"], Keys(parse_secret(SECRET)), migrate=False)


def audit_rows(env: dict[str, str]) -> list[AuditEntry]:
    db = database(env)
    try:
        with db.unit_of_work() as uow:
            return list(uow.session.scalars(select(AuditEntry)))
    finally:
        db.close()


def respondent_tokens(env: dict[str, str], *names: str) -> list[str]:
    """The participants' respondent tokens, read from their encrypted state."""
    db = database(env)
    tokens: list[str] = []
    try:
        with db.unit_of_work() as uow:
            for name in names:
                pseudonym = db.keys.pseudonym(f"term:{name}")
                state = uow.participants.get_state(pseudonym)
                if state is not None:
                    tokens += state.responses.values()
                conversation = uow.conversations.current(pseudonym)
                if conversation is not None:
                    tokens.append(conversation.respondent_token)
            pseudonyms = [db.keys.pseudonym(f"term:{name}") for name in names]
    finally:
        db.close()
    assert tokens
    return tokens + pseudonyms + [p[:8] for p in pseudonyms]


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [value for value in secrets if value.lower() in text.lower()]


def test_each_officer_action_leaves_one_entry_and_nothing_personal(
    env: dict[str, str],
) -> None:
    loaded = run(env, "consultation", "load", str(SAMPLES), "--open")
    heard_round = re.search(r"heard \(\w+\): .*round (\w+) open now", loaded.out)
    assert heard_round is not None, loaded.out
    run(env, "chat", "--live", "--as", KAYLA, stdin=FINISHED.format(text=DISCLOSURE))
    run(env, "chat", "--live", "--as", MARCUS, stdin=STOPPED_HALFWAY.format(text=HALFWAY))
    secrets = [*SENSITIVE, *respondent_tokens(env, KAYLA, MARCUS)]

    run(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")
    run(env, "results", "feeling-safe", "--format", "csv")
    listed = run(env, "review", "list")
    item = re.search(r"^([0-9a-f]{8})  ", listed.out, re.MULTILINE)
    assert item is not None, listed.out
    run(env, "review", "done", item.group(1), "--note", NOTE)
    run(env, "privacy", "release")
    run(env, "privacy", "lookup", f"term:{KAYLA}")
    # Kayla asked for news in the terminal, where nothing can be pushed: sent for later,
    # the update is decided (and audited) now, and goes to whoever can be reached then.
    sent = run(
        env,
        *("update", "send", "feeling-safe", "--file", str(EXAMPLE_UPDATE)),
        *("--at", "2030-01-01T10:00", "--no-wait"),
    )
    assert "Queued update" in sent.out
    assert "for 0 people" in sent.out
    run(env, "update", "cancel", "feeling-safe")
    scheduled = run(
        env,
        *("round", "schedule", "feeling-safe", "--keyword", "SAFER"),
        *("--opens", "2030-01-01", "--closes", "2030-01-31"),
    )
    later_round = re.search(r"Round (\w+) of feeling-safe is scheduled", scheduled.out)
    assert later_round is not None, scheduled.out
    run(env, "round", "cancel", later_round.group(1))
    run(env, "round", "close", heard_round.group(1))
    run(env, "privacy", "erase", f"term:{MARCUS}", "--yes")
    run(env, "privacy", "purge")
    run(env, "keys", "rotate")

    rows = audit_rows(env)
    assert Counter(row.action for row in rows) == {
        "consultation.load": 2,  # one per consultation in the folder
        "results.export": 2,
        "review.done": 1,
        "privacy.release": 1,
        "privacy.lookup": 1,
        "update.send": 1,
        "update.cancel": 1,
        "round.schedule": 1,
        "round.cancel": 1,
        "round.close": 1,
        "privacy.erase": 1,
        "privacy.purge": 1,
        "keys.rotate": 1,
    }
    details = {row.action: row.detail for row in rows}
    assert "consultation=feeling-safe" in details["results.export"]
    assert {"format=json", "format=csv"} <= {
        word for row in rows if row.action == "results.export" for word in row.detail.split()
    }
    assert f"item={item.group(1)}" in details["review.done"]
    assert "actor=officer" in details["privacy.purge"]
    assert f"round={heard_round.group(1)}" in details["round.close"]
    assert "key_id=2" in details["keys.rotate"]
    assert all(row.at.tzinfo is not None for row in rows)
    stored = "\n".join(f"{row.action} {row.detail}" for row in rows)
    assert leaks(stored, secrets) == []

    shown = run(env, "audit", "list").out
    # A long detail wraps onto more lines; each entry's first line starts with its time.
    entries = [line for line in shown.splitlines() if re.match(r"│ \w{3} \d", line)]
    assert len(entries) == len(rows)
    for action in ("results.export", "update.send", "review.done", "keys.rotate"):
        assert action in shown
    assert leaks(shown, secrets) == []


def test_audit_list_shows_local_times_newest_first_and_as_many_as_asked(
    env: dict[str, str],
) -> None:
    tokyo = {**env, "YOUSAID_TIMEZONE": "Asia/Tokyo"}
    run(tokyo, "consultation", "load", str(SAMPLES / "feeling-safe.yaml"))
    run(tokyo, "keys", "rotate")

    latest = run(tokyo, "audit", "list", "--limit", "1").out
    both = run(tokyo, "audit", "list").out

    assert "keys.rotate" in latest
    assert "consultation.load" not in latest
    assert "JST" in latest
    assert "Asia/Tokyo" in latest
    assert both.index("keys.rotate") < both.index("consultation.load")


def test_an_empty_audit_log_says_so(env: dict[str, str]) -> None:
    assert "Nothing in the audit log yet" in run(env, "audit", "list").out


def test_the_schedulers_daily_purge_is_recorded_as_the_schedulers(
    tmp_path: Path, database_url: str
) -> None:
    runtime = make_runtime(tmp_path, database_url, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    load_samples(runtime)
    scheduler = Scheduler(runtime)
    try:
        assert scheduler.daily()  # never ran: due at once
        with runtime.db.unit_of_work() as uow:
            [entry] = uow.audit.recent()
    finally:
        scheduler.shutdown()
        runtime.db.close()
    assert entry.action == "privacy.purge"
    assert entry.detail.startswith("actor=scheduler ")
    assert entry.at == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

"""The promise, end to end: after the window nothing said can be traced back to anyone.

A round of consultations full of personal details runs through the Twilio webhook (SMS and
WhatsApp), Telegram ids and the terminal; someone deletes, someone stops, someone discloses
abuse. The round closes, the clock moves past the withdrawal window, the purge runs (in the
app and then as `yousaid privacy purge`), and the whole database is dumped: the SQLite file
and its -wal, a SQL dump, and pg_dump on PostgreSQL. No phone number in any format, no
Telegram id, no redacted value, and no answer that can be joined back to a participant.
"""

from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.clock import FixedClock
from bot.services import release, retention
from storage.crypto import Keys, parse_secret
from storage.models import Conversation, Participant, Response, ReviewItem
from storage.sealing import participant_state_aad
from storage.serialization import decode_participant
from storage.uow import Database
from tests.e2e.cli import environment, yousaid
from tests.e2e.twilio_harness import SECRET, START, Phone, TwilioHarness, running_app
from tests.integration.privacy_world import Person

AFTER_WINDOW = START + timedelta(days=40)
SCRIPT = ["SAFE", "yes", "3", "{text}", "4", "1 3", "skip", "{news}", "no"]

# (channel, address, free-text answer, asks for news)
PEOPLE: list[tuple[str, str | int, str, bool]] = [
    ("sms", "+447700900111", "he said hed find me. text me on 07700 900111", True),
    ("whatsapp", "+447700900112", "i live at flat 3, 22 Hither Green Lane SE13 5AB", False),
    ("sms", "+447700900113", "add me snap: jaydenb_2010 or ring +44 7700 900113", True),
    ("sms", "+447700900114", "my card is 4111 1111 1111 1111, born 3/4/2010", False),
    ("sms", "+447700900115", "my stepdad hits me, email kayla.m2009@gmail.com", True),
    ("telegram", 5550001234, "dm me @tia_r09 im at 14 Lewis Grove after school", True),
    ("telegram", 5550005678, "sort code 12-34-56 account 31926819 got stolen", False),
    ("terminal", "kiosk-1", "the underpass by the station, D.O.B: 14-11-2007", False),
    ("terminal", "kiosk-2", "Lewis Grove at night is scary. sam dot p at outlook dot com", True),
]
DELETER = "+447700900116"
STOPPER = "+447700900117"
REDACTED = (
    "900111",
    "Hither Green Lane",
    "SE13 5AB",
    "jaydenb_2010",
    "900113",
    "4111 1111 1111 1111",
    "3/4/2010",
    "kayla.m2009",
    "gmail",
    "tia_r09",
    "14 Lewis Grove",
    "12-34-56",
    "31926819",
    "14-11-2007",
    "outlook",
    "sam dot p",
)
READABLE = ("the underpass by the station", "Lewis Grove at night is scary", "[phone]")


@dataclass
class Round:
    """What a key holder could see during the window, to look for after it."""

    tokens: set[str] = field(default_factory=set)
    respondent_keys: set[str] = field(default_factory=set)
    numbers: list[str] = field(default_factory=list)
    telegram_ids: list[str] = field(default_factory=list)


def test_after_the_window_the_database_holds_nothing_that_leads_back_to_anyone(
    tmp_path: Path, database_url: str
) -> None:
    with running_app(tmp_path, database_url) as app:
        seen = run_the_round(app)
        close_everything(app)
        app.clock.set(AFTER_WINDOW)
        counts = retention.purge(app.runtime)
        assert counts.rounds_unlinked == 2
        assert counts.responses_rekeyed >= len(PEOPLE)
        # While the app still runs (its connections open, so SQLite keeps its WAL).
        running = sqlite_files(database_url)

    env = environment(tmp_path, database_url, YOUSAID_SECRET_KEY=SECRET)
    purged = yousaid(env, "privacy", "purge")
    assert purged.code == 0, purged.err
    assert "cleared from the database files" in purged.out

    dump, files = dump_everything(database_url)
    files.update({f"{name} (app running)": content for name, content in running.items()})
    assert "feeling-safe" in dump  # the dump is real
    for readable in READABLE:
        assert readable in dump, readable
    for secret in secrets_of(seen):
        assert secret not in dump, secret
        assert secret.encode().hex() not in dump.lower(), secret
        for name, content in files.items():
            assert secret.encode() not in content, (secret, name)
            assert secret.encode("utf-16-le") not in content, (secret, name)
    assert_no_answer_joins_a_participant(database_url, seen)


def test_postgresql_table_files_keep_no_erased_value(tmp_path: Path, postgres_url: str) -> None:
    with running_app(tmp_path, postgres_url) as app:
        seen = run_the_round(app)
        close_everything(app)
        app.clock.set(AFTER_WINDOW)
        retention.purge(app.runtime)
        with app.runtime.db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("CHECKPOINT"))  # every page on disk, not in memory
            data_dir = connection.execute(text("SHOW data_directory")).scalar_one()
            oid = connection.execute(
                text("SELECT oid FROM pg_database WHERE datname = current_database()")
            ).scalar_one()
    folder = Path(data_dir) / "base" / str(oid)
    assert folder.is_dir(), f"run the tests against a local cluster (make test): {folder}"

    content = b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file())

    assert b"feeling-safe" in content
    for secret in secrets_of(seen):
        assert secret.encode() not in content, secret


# --- the round ---------------------------------------------------------------------------


def run_the_round(app: TwilioHarness) -> Round:
    seen = Round()
    people = []
    for channel, address, free_text, news in PEOPLE:
        said = [
            line.replace("{text}", free_text).replace("{news}", "yes" if news else "no")
            for line in SCRIPT
        ]
        if channel in ("sms", "whatsapp"):
            phone = Phone(app, str(address), whatsapp=channel == "whatsapp")
            for line in said:
                phone.send(line)
            seen.numbers.append(str(address))
            people.append(f"tel:{address}")
        else:
            person = (
                Person.telegram(app.runtime, int(address))
                if channel == "telegram"
                else Person.terminal(app.runtime, str(address))
            )
            for line in said:
                person.say(line)
            if channel == "telegram":
                seen.telegram_ids.append(str(address))
            people.append(person.address.namespaced)
        release.release_due(app.runtime)  # batches go out as the round runs
    deleter = Phone(app, DELETER)
    for line in SCRIPT[:5]:
        deleter.send(line.replace("{text}", f"call me on {DELETER}"))
    seen.numbers.append(DELETER)
    stopper = Phone(app, STOPPER)
    for line in SCRIPT[:4]:
        stopper.send(line.replace("{text}", "the alley by the park"))
    stopper.send("STOP")
    seen.numbers.append(STOPPER)
    people.append(f"tel:{STOPPER}")

    # What a key holder could learn during the window, to look for afterwards.
    with app.runtime.db.unit_of_work() as uow:
        for namespaced in people:
            state = uow.participants.get_state(app.runtime.keys.pseudonym(namespaced))
            assert state is not None, namespaced
            assert state.responses, namespaced
            seen.tokens |= set(state.responses.values())
    seen.respondent_keys = {app.runtime.keys.respondent_key(t) for t in seen.tokens}
    with app.runtime.db.unit_of_work() as uow:
        assert uow.reviews.open_items(), "the disclosure reached the review queue"
    assert "deleted" in deleter.send("DELETE").text.lower()
    return seen


def close_everything(app: TwilioHarness) -> None:
    clock = app.runtime.clock
    assert isinstance(clock, FixedClock)
    clock.set(START + timedelta(days=7))
    with app.runtime.db.unit_of_work() as uow:
        uow.begin_write()  # the app may be writing too (deleting Twilio's copies)
        for consultation in ("feeling-safe", "heard"):
            for row in uow.rounds.for_consultation(consultation):
                uow.rounds.close(row.id, clock.now())


def secrets_of(seen: Round) -> list[str]:
    forms = []
    for number in seen.numbers:
        national = "0" + number[3:]
        forms += [
            number,
            number.lstrip("+"),
            national,
            f"{national[:5]} {national[5:]}",
            f"+44 {number[3:7]} {number[7:]}",
            f"whatsapp:{number}",
        ]
    return [*forms, *seen.telegram_ids, *REDACTED, *seen.tokens, *seen.respondent_keys]


# --- the dump ----------------------------------------------------------------------------


def sqlite_files(database_url: str) -> dict[str, bytes]:
    """The bytes of the SQLite database file, its -wal and -shm (none on PostgreSQL)."""
    if not database_url.startswith("sqlite"):
        return {}
    path = Path(make_url(database_url).database or "")
    files = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    assert path.name in files
    return files


def dump_everything(database_url: str) -> tuple[str, dict[str, bytes]]:
    """The SQL dump, and the raw bytes of every SQLite file (none on PostgreSQL)."""
    if database_url.startswith("sqlite"):
        files = sqlite_files(database_url)
        with sqlite3.connect(make_url(database_url).database or "") as connection:
            dump = "\n".join(connection.iterdump())
        return dump, files
    done = subprocess.run(
        [pg_dump(), "--no-owner", f"--dbname={database_url}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, {}


def pg_dump() -> str:
    """pg_dump on PATH, or the newest under /usr/lib/postgresql (as scripts/test-postgres)."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    assert candidates, "pg_dump is not installed: install PostgreSQL's client tools"
    return candidates[-1]


def assert_no_answer_joins_a_participant(database_url: str, seen: Round) -> None:
    """Even with the key: no token in any state, no conversation, no review item or answer
    under a key derived from a token, and on PostgreSQL no transaction id shared."""
    keys = Keys(parse_secret(SECRET))
    db = Database.open(database_url, keys, migrate=False)
    try:
        with db.unit_of_work() as uow:
            session = uow.session
            for row in session.scalars(select(Participant)):
                if row.state_enc is not None:
                    plain = keys.decrypt(row.state_enc, participant_state_aad(row.pseudonym))
                    assert not decode_participant(plain).responses
            assert session.scalars(select(Conversation)).all() == []
            assert set(session.scalars(select(ReviewItem.respondent_key))) == {None}
            stored = set(session.scalars(select(Response.respondent_key)))
            assert stored
            assert not stored & seen.respondent_keys
            # The order rows sit in the table (rowid, ctid), not any index's order.
            physical = "rowid" if db.dialect == "sqlite" else "ctid"
            order = list(
                session.scalars(text(f"SELECT respondent_key FROM answers ORDER BY {physical}"))
            )
            blocks = [k for n, k in enumerate(order) if n == 0 or order[n - 1] != k]
            assert len(blocks) > len(set(order))  # written shuffled, not one response a block
            if db.dialect == "postgresql":
                answer_ids = set(session.scalars(text("SELECT xmin::text FROM answers")))
                response_ids = set(session.scalars(text("SELECT xmin::text FROM responses")))
                people_ids = set(
                    session.scalars(
                        text(
                            "SELECT xmin::text FROM participants "
                            "UNION SELECT xmin::text FROM subscriptions"
                        )
                    )
                )
                # One transaction re-keyed the round (the other round had no answers).
                assert len(answer_ids | response_ids) == 1
                assert not (answer_ids | response_ids) & people_ids
    finally:
        db.close()

"""After a full response, neither the database files nor a SQL dump hold an address or token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from conversations.facts import (
    AnswerRecorded,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
)
from conversations.messages import Channel, Outgoing
from conversations.model import UpdatesScope
from conversations.state import ConversationState, ParticipantState, Phase
from storage.crypto import Keys
from storage.uow import Database
from tests.dumps import sql_dump

KEYS = Keys(bytes(range(32)))
NOW = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)
PHONE = "+447700900123"
TELEGRAM_ID = "987654321"
TOKENS = {"tel": "resp-tok-5f4dcc3b5aa765d6", "tg": "resp-tok-9e107d9d372bb682"}
SECRETS = (PHONE, PHONE.lstrip("+"), TELEGRAM_ID, *TOKENS.values())


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


def take_part(db: Database, namespace: str, address: str, channel: Channel) -> None:
    """Everything storage keeps for one person answering a consultation and asking for news."""
    pseudonym = KEYS.pseudonym(f"{namespace}:{address}")
    token = TOKENS[namespace]
    with db.unit_of_work() as uow:
        round_id = uow.rounds.open_now("feeling-safe", NOW - timedelta(hours=1))
    with db.unit_of_work() as uow:
        uow.lock_participant(pseudonym)
        assert uow.inbound.seen(channel.value, f"msg-{namespace}") is None
        uow.participants.set_address(pseudonym, address)
        uow.participants.set_channel(pseudonym, channel)
        uow.participants.save_state(
            pseudonym, ParticipantState(language="en", responses={round_id: token}), NOW
        )
        uow.conversations.save(
            pseudonym,
            ConversationState(
                "feeling-safe",
                "v1",
                round_id,
                token,
                "en",
                Phase.FINISHED,
                NOW,
                NOW,
                answers={"why": "[phone number removed] keeps calling me"},
            ),
        )
        uow.decisions.record_facts(
            [
                ResponseStarted(token, "feeling-safe", "v1", round_id, channel),
                AnswerRecorded(token, "feeling-safe", "v1", round_id, "safe", "unsafe"),
                AnswerRecorded(
                    token, "feeling-safe", "v1", round_id, "why", "[phone number removed] calls"
                ),
                Subscribed("feeling-safe", round_id, UpdatesScope.THIS, "en", channel),
                ResponseEnded(token, round_id, ResponseStatus.FINISHED),
            ],
            channel,
            pseudonym,
            NOW,
        )
        replies = [Outgoing(f"Thank you. Your answers help decide what we do next. {address}")]
        uow.inbound.remember(channel.value, f"msg-{namespace}", replies, NOW)
        uow.outbox.add_replies(pseudonym, channel, replies, NOW)


def test_a_sql_dump_holds_no_address_telegram_id_or_token(db: Database) -> None:
    take_part(db, "tel", PHONE, Channel.SMS)
    take_part(db, "tg", TELEGRAM_ID, Channel.TELEGRAM)
    text_dump = sql_dump(db)
    assert "feeling-safe" in text_dump
    assert "unsafe" in text_dump
    for secret in SECRETS:
        assert secret not in text_dump
        assert secret.encode().hex() not in text_dump.lower()  # not even inside a blob


def test_the_sqlite_files_hold_no_address_telegram_id_or_token(sqlite_url: str) -> None:
    database = Database.open(sqlite_url, KEYS)
    take_part(database, "tel", PHONE, Channel.SMS)
    take_part(database, "tg", TELEGRAM_ID, Channel.TELEGRAM)
    path = Path(make_url(sqlite_url).database or "")
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert {p.name for p in files} >= {path.name, f"{path.name}-wal"}
    for found in files:
        content = found.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, found.name
            assert secret.encode("utf-16-le") not in content, found.name
    assert b"unsafe" in b"".join(p.read_bytes() for p in files)  # the answers are there
    database.close()

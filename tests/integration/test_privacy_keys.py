"""Rotating the encryption key: everything re-encrypted, nothing lost, pseudonyms unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.runtime import Runtime
from bot.services import keys
from storage.crypto import blob_key_id
from storage.models import Conversation, InboundMessage, OutboxMessage, Participant
from tests.integration.privacy_world import FEELING_SAFE, Person, open_world

WORDS = "the park near the shops"


@pytest.fixture
def runtime(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime, _ = open_world(tmp_path, database_url)
    yield runtime
    runtime.db.close()


def sealed(runtime: Runtime) -> list[bytes]:
    """Every encrypted value stored."""
    with runtime.db.unit_of_work() as uow:
        session = uow.session
        blobs = [
            *session.scalars(select(Participant.state_enc)),
            *session.scalars(select(Participant.address_enc)),
            *session.scalars(select(Conversation.state_enc)),
            *session.scalars(select(InboundMessage.reply_enc)),
            *session.scalars(select(OutboxMessage.payload_enc)),
        ]
    return [blob for blob in blobs if blob is not None]


def test_rotation_re_encrypts_every_value_under_the_new_key(runtime: Runtime) -> None:
    person = Person.sms(runtime, "+447700900901")
    for line in FEELING_SAFE[:4]:
        person.say(line.replace("{text}", WORDS))
    pseudonym = person.pseudonym
    assert {blob_key_id(blob) for blob in sealed(runtime)} == {1}

    key_id, count = keys.rotate_key(runtime)

    assert key_id == 2
    assert count == len(sealed(runtime)) > 0
    assert {blob_key_id(blob) for blob in sealed(runtime)} == {2}
    assert person.pseudonym == pseudonym  # the pseudonym key never changes
    with runtime.db.unit_of_work() as uow:
        assert uow.participants.get_address(pseudonym) == "tel:+447700900901"
    # The conversation carries on where it was, under the new key.
    assert "What would help you feel safer?" in person.say("4")
    assert {blob_key_id(blob) for blob in sealed(runtime)} == {2}


def test_a_second_rotation_moves_on_again(runtime: Runtime) -> None:
    Person.sms(runtime, "+447700900902").say("SAFE")

    assert keys.rotate_key(runtime)[0] == 2
    assert keys.rotate_key(runtime)[0] == 3
    assert {blob_key_id(blob) for blob in sealed(runtime)} == {3}


def test_old_ciphertexts_leave_the_sqlite_file(tmp_path: Path, sqlite_url: str) -> None:
    runtime, _ = open_world(tmp_path, sqlite_url)
    person = Person.sms(runtime, "+447700900903")
    person.say("SAFE")
    old = sealed(runtime)

    keys.rotate_key(runtime)
    runtime.db.close()

    path = Path(make_url(sqlite_url).database or "")
    content = b"".join(
        p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)
    )
    assert [blob for blob in old if blob[5:] in content] == []

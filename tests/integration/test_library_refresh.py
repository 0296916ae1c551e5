"""Each process holds the rounds in memory; a change made by another process is seen at
its next message (the catalogue version in the database moved), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.addresses import Address
from bot.clock import FixedClock
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from conversations.messages import Channel, Inbound
from tests.consultations import SAMPLES, store_consultations

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
INTRO = "Safer Streets team"


def runtime_for(tmp_path: Path, database_url: str) -> Runtime:
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=database_url,
        secret_key="5e" * 32,
        config_dir=SAMPLES.parents[0],
    )
    return open_runtime(settings, FixedClock(NOW))


def say(pipeline: Pipeline, number: str, text: str) -> str:
    received = Received(Address.phone(number), Inbound(Channel.SMS, text), "terminal")
    return "\n".join(reply.text for reply in pipeline.receive(received).replies)


def test_a_round_opened_and_closed_by_another_process_is_seen_at_the_next_message(
    tmp_path: Path, database_url: str
) -> None:
    web, officer = runtime_for(tmp_path, database_url), runtime_for(tmp_path, database_url)
    try:
        store_consultations(officer, open_round=False)
        pipeline = Pipeline(web)
        before = say(pipeline, "+447700900501", "SAFE")  # loads the rounds: none open

        [round_id] = store_consultations(
            officer, SAMPLES / "feeling-safe.yaml", open_round=True
        ).values()
        opened = say(pipeline, "+447700900502", "SAFE")
        with officer.db.unit_of_work() as uow:
            uow.rounds.close(round_id, NOW)
        closed = say(pipeline, "+447700900503", "SAFE")
    finally:
        web.db.close()
        officer.db.close()

    assert INTRO not in before
    assert INTRO in opened
    assert INTRO not in closed

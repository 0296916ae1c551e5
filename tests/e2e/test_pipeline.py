"""Over HTTP: one message, one transaction, in order (two texts at once), and the health check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from tests.e2e.twilio_harness import INBOUND, Phone, Reply, TwilioHarness, running_app


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def answers(app: TwilioHarness, question_id: str) -> list[object]:
    with app.runtime.db.unit_of_work() as uow:
        rows = uow.results.answers("feeling-safe", None)
    return [row.value for row in rows if row.question_id == question_id]


def test_two_texts_at_once_from_one_person_give_two_answers_in_order(
    app: TwilioHarness,
) -> None:
    phone = Phone(app, "+447700900222")
    phone.send("SAFE")
    phone.send("yes")  # now at the first question (after dark)

    # Both texts reach the webhook at the same moment, as two Twilio requests.
    forms = {text: phone.params(text) for text in ("1", "2")}
    start = threading.Barrier(2)
    replies: dict[str, Reply] = {}

    def send(text: str) -> None:
        start.wait()
        replies[text] = app.post(INBOUND, forms[text])

    threads = [threading.Thread(target=send, args=(text,)) for text in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Whichever went first answered "after dark" (1 very, 2 fairly); the other then
    # answered the next question, school on a 1-5 scale. Neither answer is lost.
    after_dark, school = answers(app, "safe_after_dark"), answers(app, "safe_school")
    assert (after_dark, school) in ((["very"], [2]), (["fairly"], [1]))
    assert sorted(replies) == ["1", "2"]
    assert all(reply.status == 200 for reply in replies.values())


def test_health_check_answers_200_while_the_database_answers(app: TwilioHarness) -> None:
    response = httpx.get(f"{app.base_url}/healthz", timeout=10)

    assert response.status_code == 200


def test_health_check_answers_503_when_the_database_is_gone(app: TwilioHarness) -> None:
    app.runtime.db.engine.dispose()
    original = app.runtime.db.engine
    app.runtime.db.engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        response = httpx.get(f"{app.base_url}/healthz", timeout=30)
    finally:
        app.runtime.db.engine = original

    assert response.status_code == 503

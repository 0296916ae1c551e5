"""Safeguarding through the real Twilio webhook, on SQLite and PostgreSQL: helplines at once,
HELP at every step, the reminder, and an anonymous review queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from conversations.helplines import full_message, reminder
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app

AFTER_DARK = {
    "en": "How safe do you feel in your area after dark?",
    "pl": "Jak bezpiecznie czujesz się po zmroku w okolicy?",
}
DISCLOSURES = {"en": "my stepdad hits me", "pl": "ojczym mnie bije"}
WHY_UNSAFE = "What makes you feel unsafe?"
SCHOOL = "How safe do you feel at school"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


def full(app: TwilioHarness, language: str = "en") -> str:
    assert app.runtime.safety is not None
    return full_message(app.runtime.safety.helplines, language)


def number(n: int) -> str:
    return f"+447700900{n:03d}"


def at_first_question(app: TwilioHarness, n: int, language: str = "en") -> Phone:
    phone = Phone(app, number(n))
    phone.send("SAFE")
    if language == "pl":
        phone.send("POLSKI")
    reply = phone.send("tak" if language == "pl" else "yes")
    assert AFTER_DARK[language] in reply.text
    return phone


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_disclosure_by_sms_gets_the_helplines_before_the_next_question(
    app: TwilioHarness, language: str
) -> None:
    phone = at_first_question(app, 200 + len(language), language)

    reply = phone.send(DISCLOSURES[language])

    assert reply.texts[0] == full(app, language)
    assert reply.texts[0].startswith("In danger now? Call 999" if language == "en" else "W ")
    assert AFTER_DARK[language] in reply.texts[-1]


def test_a_free_text_disclosure_then_the_next_question_and_a_reminder_after(
    app: TwilioHarness,
) -> None:
    phone = at_first_question(app, 210)
    assert WHY_UNSAFE in phone.send("3").text

    first = phone.send("my boyfriend chokes me")
    second = phone.send("he said hes gonna kill me")

    assert first.texts[0] == full(app)
    assert SCHOOL in first.texts[-1]
    assert app.runtime.safety is not None
    assert second.texts[0] == reminder(app.runtime.safety.helplines, "en")
    assert SCHOOL in second.texts[-1]


@pytest.mark.parametrize(
    "script",
    [[], ["SAFE"], ["SAFE", "yes"], ["SAFE", "yes", "3"], ["SAFE", "yes", "STOP"]],
    ids=["first", "intro", "question", "free-text", "stopped"],
)
def test_help_at_every_step_gives_the_full_helplines(app: TwilioHarness, script: list[str]) -> None:
    phone = Phone(app, number(220 + len(script) * 3 + ("STOP" in script)))
    for text in script:
        phone.send(text)

    reply = phone.send("HELP")

    assert reply.texts[0] == full(app)


def test_the_review_queue_gets_the_redacted_text_and_no_link_to_the_person(
    app: TwilioHarness,
) -> None:
    phone = at_first_question(app, 230)
    phone.send("3")
    phone.send("im 13 and my dad hits me. my number is 07700 900230")

    with app.runtime.db.unit_of_work() as uow:
        [item] = uow.reviews.open_items()
    assert item.consultation_id == "feeling-safe"
    assert set(item.category.split(",")) == {"abuse_home", "child_age", "violence"}
    assert "my dad hits me" in item.text
    assert "07700" not in item.text
    assert "900230" not in item.text

    schema = inspect(app.runtime.db.engine)
    columns = {c["name"] for c in schema.get_columns("review_queue")}
    assert not columns & {"pseudonym", "participant", "conversation_id", "address", "channel"}
    assert not any("pseudonym" in c or "address" in c for c in columns)
    targets = {fk["referred_table"] for fk in schema.get_foreign_keys("review_queue")}
    assert targets <= {"rounds"}


def test_a_flagged_answer_never_reaches_the_answers_tables(app: TwilioHarness) -> None:
    phone = at_first_question(app, 240)
    phone.send("3")
    phone.send("my stepdad touches me at night")

    with app.runtime.db.unit_of_work() as uow:
        rows = uow.results.answers("feeling-safe")
    texts = [str(row.value) for row in rows]
    assert texts  # the answer is there, as answered
    assert not any("stepdad" in text or "touches" in text for text in texts)

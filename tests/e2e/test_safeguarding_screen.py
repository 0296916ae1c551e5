"""The classifier-backed screen end to end (issue 16), over the real Twilio webhook and the
terminal, on SQLite and PostgreSQL: every kind of disclosure gets the helplines before the
next question, in English and Polish, a split one too; talk about the topic and idioms get
none; names, NI numbers and number plates never reach the database. (The terminal's
part is in test_safeguarding_cli.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_safeguarding_twilio import AFTER_DARK, at_first_question, full
from tests.e2e.twilio_harness import TwilioHarness, running_app

# One disclosure of each kind, per language, as a person might text it.
DISCLOSURES = {
    "en": {
        "danger_now": "hes kicking the front door in",
        "threats": "he said he would slit my throat",
        "violence": "he slapped me across the face yesterday",
        "weapons": "my brother carries a blade",
        "stalking_control": "he goes through my phone",
        "self_harm": "been self harming again",
        "suicidal": "i dont want to live anymore",
        "abuse_home": "my mum hits me with a wooden spoon",
        "sexual_abuse": "someone touched me on the train",
        "exploitation": "im going country next week",
        "harmful_practices": "im being forced to marry",
        "sextortion": "hes blackmailing me with pics",
    },
    "pl": {
        "danger_now": "wywaza drzwi",
        "threats": "powiedzial ze poderznie mi gardlo",
        "violence": "uderzyl mnie w twarz wczoraj",
        "weapons": "brat nosi ostrze",
        "stalking_control": "przeglada mi telefon",
        "self_harm": "znowu sie okaleczam",
        "suicidal": "nie chce juz zyc",
        "abuse_home": "mama bije mnie drewniana lyzka",
        "sexual_abuse": "ktos mnie dotykal w pociagu",
        "exploitation": "rozwoze narkotyki dla jakichs typow",
        "harmful_practices": "zmuszaja mnie do slubu",
        "sextortion": "szantazuje mnie zdjeciami",
    },
}
ORDINARY = [
    "the underpass is dark",
    "knife crime is bad in my area",
    "my mum would kill me if i was late",
    "zabilbym za pizze",
]
SCHOOL = "How safe do you feel at school"
WHY_UNSAFE = "What makes you feel unsafe?"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, database_url) as harness:
        yield harness


@pytest.mark.parametrize("language", ["en", "pl"])
def test_every_kind_of_disclosure_gets_the_helplines_before_the_next_question(
    app: TwilioHarness, language: str
) -> None:
    for n, (kind, text) in enumerate(DISCLOSURES[language].items()):
        phone = at_first_question(app, 300 + 20 * (language == "pl") + n, language)
        reply = phone.send(text)
        assert reply.texts[0] == full(app, language), kind
        assert AFTER_DARK[language] in reply.texts[-1], kind


def test_a_disclosure_split_over_two_texts_gets_the_helplines_on_the_second(
    app: TwilioHarness,
) -> None:
    phone = at_first_question(app, 350)
    assert WHY_UNSAFE in phone.send("3").text
    first = phone.send("the thing is my step dad")
    assert full(app) not in first.texts
    second = phone.send("comes in my bed when mum is at work")
    assert second.texts[0] == full(app)


def test_talk_about_the_topic_and_idioms_get_no_helplines(app: TwilioHarness) -> None:
    for n, text in enumerate(ORDINARY):
        phone = at_first_question(app, 360 + n)
        phone.send("3")
        reply = phone.send(text)
        assert full(app) not in reply.texts, text
        assert not any("0800" in t for t in reply.texts), text
        assert SCHOOL in reply.texts[-1]
    with app.runtime.db.unit_of_work() as uow:
        assert uow.reviews.open_items() == []


def test_names_ni_numbers_and_number_plates_never_reach_the_database(
    app: TwilioHarness,
) -> None:
    phone = at_first_question(app, 370)
    phone.send("3")
    phone.send("my name is Kayla Brook, ni QQ123456C, the car AB12 CDE parks by the dark park")
    phone2 = at_first_question(app, 371)
    phone2.send("3")
    phone2.send("im Jordan and my dad hits me, his car is LD68 KRT")

    with app.runtime.db.unit_of_work() as uow:
        answers = [str(row.value) for row in uow.results.answers("feeling-safe")]
        [item] = uow.reviews.open_items()
    assert any("[name]" in a and "[ni]" in a and "[reg]" in a for a in answers)
    assert "[name]" in item.text
    assert "[reg]" in item.text
    dump = "\n".join(answers) + item.text
    for detail in ("Kayla", "Brook", "QQ123456C", "AB12", "Jordan", "LD68"):
        assert detail not in dump
    raw = _database_bytes(app)
    if raw is not None:
        for detail in (b"Kayla", b"QQ123456C", b"AB12 CDE", b"Jordan", b"LD68 KRT"):
            assert detail not in raw


def _database_bytes(app: TwilioHarness) -> bytes | None:
    """The SQLite file's bytes, every page of it; None on PostgreSQL."""
    url = app.runtime.db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    app.runtime.db.engine.dispose()
    path = Path(url.database)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())

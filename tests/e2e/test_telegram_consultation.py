"""A participant on Telegram: the welcome, deep links, buttons, typing, old buttons, media.

The real web app and python-telegram-bot against the fake Bot API, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Participant
from tests.e2e.telegram_harness import CONFIG_DIR, USER, Telegram, telegram_app


@pytest.fixture
def tg(tmp_path: Path, database_url: str) -> Iterator[Telegram]:
    with telegram_app(tmp_path, database_url, CONFIG_DIR / "consultations") as running:
        yield running


def answers(tg: Telegram) -> dict[str, object]:
    with tg.runtime.db.unit_of_work() as uow:
        return {a.question_id: a.value for a in uow.results.answers("feeling-safe")}


def buttons_left(tg: Telegram) -> list[str]:
    return [b["text"] for m in tg.api.bot_messages(USER) for b in m.buttons]


def test_start_shows_the_neutral_welcome_without_unlisted_keywords(tg: Telegram) -> None:
    (welcome,) = tg.say("/start")
    assert "SAFE" in welcome.text
    assert "HEARD" not in welcome.text  # unlisted: a shared phone shows the chat


def test_a_deep_link_starts_the_consultation_at_once(tg: Telegram) -> None:
    replies = tg.say("/start SAFE")
    assert "Safer Streets" in replies[0].text
    assert "Hi! You can have your say" not in replies[0].text  # no welcome first


def test_a_deep_link_to_an_unlisted_consultation_starts_it(tg: Telegram) -> None:
    replies = tg.say("/start HEARD")
    assert "SAFE" not in replies[0].text
    assert replies[0].text != tg.say("/start")[0].text


def test_a_deep_link_mid_way_through_another_consultation_starts_it(tg: Telegram) -> None:
    tg.say("/start SAFE")
    tg.say("yes")  # at SAFE's first question

    replies = tg.say("/start HEARD")

    assert "Safer Communities team" in replies[0].text  # HEARD's intro, not an answer
    assert "YES to start, STOP to stop." in " ".join(r.text for r in replies)


def test_typing_the_keyword_starts_it_too(tg: Telegram) -> None:
    replies = tg.say("safe")
    assert "Safer Streets" in replies[0].text


def test_the_intro_yes_button_starts_the_questions_and_goes_away(tg: Telegram) -> None:
    tg.say("/start SAFE")
    assert buttons_left(tg) == ["Yes", "No"]

    replies = tg.tap("Yes")

    assert "How safe do you feel in your area after dark?" in replies[-1].text
    assert buttons_left(tg) == ["Very safe", "Fairly safe", "Not very safe", "Not safe at all"]


def test_a_whole_consultation_by_buttons(tg: Telegram) -> None:
    tg.say("/start SAFE")
    (first,) = tg.say("yes")
    assert [b["text"] for b in first.buttons] == [
        "Very safe",
        "Fairly safe",
        "Not very safe",
        "Not safe at all",
    ]
    tg.tap("Not very safe")
    tg.say("The underpass by the station has no lights")
    tg.tap("4")
    tg.tap("Better street lighting")
    tg.tap("Someone to talk to")
    tg.tap("Done")
    tg.tap("13-15")
    tg.tap("Yes")
    closing = tg.tap("No")
    assert "Thank you" in closing[-1].text
    assert answers(tg) == {
        "safe_after_dark": "not_very",
        "why_unsafe": "The underpass by the station has no lights",
        "safe_school": 4,
        "what_would_help": ("lighting", "someone_to_talk_to"),
        "age_band": "13_to_15",
        "hear_back": "yes",
        "future": "no",
    }
    texts = [m.text for m in tg.api.bot_messages(USER)]
    assert any(t.endswith("✓ Not very safe") for t in texts)
    assert any(t.endswith("✓ Better street lighting, Someone to talk to") for t in texts)
    assert buttons_left(tg) == []  # every answered question lost its buttons
    sends = tg.api.calls_to("sendMessage")
    assert sends
    assert all(c.params.get("protect_content") is True for c in sends)
    taps = tg.api.calls_to("answerCallbackQuery")
    assert len(taps) == 8
    assert all(c.status == 200 for c in taps)


def test_a_whole_consultation_by_typing(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.say("yes")
    tg.say("2")
    tg.say("5")
    tg.say("1 5")
    tg.say("16-18")
    tg.say("yes")
    closing = tg.say("no")
    assert "Thank you" in closing[-1].text
    assert answers(tg) == {
        "safe_after_dark": "fairly",
        "safe_school": 5,
        "what_would_help": ("lighting", "someone_to_talk_to"),
        "age_band": "16_to_18",
        "hear_back": "yes",
        "future": "no",
    }
    assert buttons_left(tg) == []  # typing an answer cleared each question's buttons


def test_a_typed_answer_clears_the_buttons_of_the_question(tg: Telegram) -> None:
    tg.say("SAFE")
    (question,) = tg.say("yes")
    assert question.buttons
    tg.say("fairly safe")
    assert tg.api.messages[(USER, question.message_id)].buttons == []
    assert answers(tg)["safe_after_dark"] == "fairly"


def test_multi_choice_buttons_tick_on_and_off_without_new_messages(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.say("yes")
    tg.tap("Very safe")
    (question,) = tg.tap("3")
    assert "What would help" in question.text
    assert tg.tap("Youth clubs open later") == []  # no new message, just a tick
    assert tg.tap("Safer routes to school") == []
    assert tg.tap("Youth clubs open later") == []  # tapped again: off
    labels = [b["text"] for b in tg.api.messages[(USER, question.message_id)].buttons]
    assert "✓ Safer routes to school" in labels
    assert "Youth clubs open later" in labels
    notes = [c.params.get("text") for c in tg.api.calls_to("answerCallbackQuery")]
    assert notes[-1] == "Picked: 4. Tap Done when you're ready."
    tg.tap("Done")
    assert answers(tg)["what_would_help"] == ("school_routes",)


def test_a_tap_on_an_old_question_is_refused_kindly(tg: Telegram) -> None:
    tg.say("SAFE")
    (first,) = tg.say("yes")
    very_safe = first.buttons[0]["callback_data"]
    tg.tap("Fairly safe")
    # A client that still shows the old buttons (the edit did not reach it) taps one.
    old = tg.api.tap(USER, first.message_id, very_safe, shown=False)
    before = len(tg.api.calls_to("sendMessage"))
    tg.deliver(old)
    replies = tg.new_messages(USER, before)
    assert replies[0].text == "That question has passed."
    assert "school" in replies[-1].text  # the question waiting, again
    assert answers(tg)["safe_after_dark"] == "fairly"  # the old tap changed nothing


def test_stickers_photos_voice_and_edits_get_a_kind_reply(tg: Telegram) -> None:
    tg.say("SAFE")
    tg.say("yes")
    for update in (
        tg.api.sticker(USER),
        tg.api.photo(USER),
        tg.api.voice(USER),
        tg.api.edited(USER, tg.api.chat(USER)[0].message_id, "changed"),
    ):
        before = len(tg.api.calls_to("sendMessage"))
        tg.deliver(update)
        replies = tg.new_messages(USER, before)
        assert "I can only read text." in replies[0].text
    assert "safe_after_dark" not in answers(tg)


def test_groups_and_channels_are_ignored_entirely(tg: Telegram) -> None:
    tg.deliver(tg.api.group_text(-100123, USER, "SAFE"))
    tg.deliver(tg.api.group_text(-100123, USER, "/start SAFE"))
    tg.deliver(tg.api.channel_post(-100999, "SAFE"))
    assert tg.api.calls_to("sendMessage") == []
    with tg.runtime.db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Participant)) == 0

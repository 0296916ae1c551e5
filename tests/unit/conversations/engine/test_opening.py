"""The first messages: the welcome, a keyword's opening (intro and consent), and saying YES."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.facts import ResponseEnded, ResponseStarted, ResponseStatus
from conversations.messages import Channel, Inbound
from conversations.segments import count_segments
from conversations.state import ParticipantState, Phase
from tests.unit.conversations.engine.fixtures import (
    FEELING_SAFE,
    HEARD,
    KINDS,
    Chat,
    facts_of,
    make_world,
    open_round,
)


def test_the_welcome_names_the_listed_consultations_keywords() -> None:
    chat = Chat()
    chat.open()
    assert "Text SAFE" in chat.text
    assert "Text KINDS" in chat.text


def test_the_welcome_never_names_an_unlisted_consultation() -> None:
    chat = Chat()
    chat.send("hello")
    assert "HEARD" not in chat.text
    assert HEARD.title not in chat.text


def test_the_welcome_offers_the_other_languages_in_their_own_words() -> None:
    chat = Chat()
    chat.open()
    assert "Polski: napisz POLSKI" in chat.text


def test_the_welcome_ends_with_how_to_get_help_and_stop() -> None:
    chat = Chat()
    chat.send("hi")
    assert chat.text.splitlines()[-1] == "Text HELP for help or STOP to stop."


def test_with_nothing_open_the_welcome_says_so_kindly() -> None:
    chat = Chat(world=make_world(open_round(HEARD)))  # only an unlisted round is open
    chat.send("hi")
    assert "no questions open right now" in chat.text
    assert "HEARD" not in chat.text
    assert chat.text.splitlines()[-1] == "Text HELP for help or STOP to stop."


def test_any_first_message_gets_the_welcome_and_starts_nothing() -> None:
    chat = Chat()
    chat.send("what is this?")
    assert "Text SAFE" in chat.text
    assert chat.conversation is None
    assert chat.facts == ()


def test_a_keyword_sends_the_intro_then_the_short_consent() -> None:
    chat = Chat()
    chat.send("SAFE")
    texts = [r.text for r in chat.replies]
    assert len(texts) == 2  # the officer's intro, then the bot's own lines
    assert texts[0] == FEELING_SAFE.intro["en"]
    consent = texts[1]
    assert consent.startswith("It's anonymous, so we can't send help. In danger, call 999.")
    assert "Text HELP for who can help, PRIVACY for more." in consent
    assert "YES to start, STOP to stop." in consent
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.INTRO


def test_privacy_gives_what_is_kept_and_until_when_delete_works() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("privacy")
    assert "results never show who said what" in chat.text
    assert "you can text DELETE to erase your answers" in chat.text
    assert "delete them" in chat.text  # texts stay on the phone
    assert chat.replies[-1].text == "Reply YES to start, or STOP to stop."
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.INTRO


def test_info_is_still_a_help_word() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("INFO")
    assert "999" in chat.text
    assert "results never show" not in chat.text


def test_a_keyword_works_in_any_case_and_with_punctuation() -> None:
    chat = Chat()
    chat.send("  safe! ")
    assert chat.replies[0].text == FEELING_SAFE.intro["en"]


def test_an_unlisted_consultation_starts_with_its_keyword() -> None:
    chat = Chat()
    chat.send("heard")
    assert chat.replies[0].text == HEARD.intro["en"]


def test_the_consent_gives_the_last_day_answers_can_be_withdrawn() -> None:
    round_ = open_round(FEELING_SAFE, closes_at=datetime(2026, 7, 16, 17, 0, tzinfo=UTC))
    chat = Chat(world=make_world(round_))
    chat.send("SAFE")
    chat.send("PRIVACY")
    assert "Until 30 July 2026 you can text DELETE" in chat.text


def test_the_consent_of_a_round_with_no_end_counts_days_after_it_closes() -> None:
    chat = Chat(world=make_world(open_round(FEELING_SAFE, closes_at=None)))
    chat.send("SAFE")
    chat.send("PRIVACY")
    assert "Until 14 days after this closes" in chat.text


def test_the_withdrawal_date_is_written_in_the_conversations_language() -> None:
    round_ = open_round(FEELING_SAFE, closes_at=datetime(2026, 7, 16, 17, 0, tzinfo=UTC))
    chat = Chat(world=make_world(round_), participant=ParticipantState(language="pl"))
    chat.send("SAFE")
    chat.send("PRYWATNOSC")
    assert "30 lipca 2026" in chat.text


def test_the_opening_offers_the_consultations_other_languages() -> None:
    chat = Chat()
    chat.send("SAFE")
    assert chat.replies[-1].text.splitlines()[-1] == "Polski: napisz POLSKI"


def test_a_one_language_consultation_offers_no_other_language() -> None:
    chat = Chat()
    chat.send("HEARD")
    assert "Polski" not in chat.text


def test_the_opening_ends_by_saying_how_to_start() -> None:
    chat = Chat()
    chat.send("HEARD")
    assert chat.replies[-1].text.endswith("YES to start, STOP to stop.")


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("closes_at", [datetime(2026, 9, 30, 17, 0, tzinfo=UTC), None])
def test_the_opening_is_two_messages_and_short(language: str, closes_at: datetime | None) -> None:
    chat = Chat(
        world=make_world(open_round(FEELING_SAFE, closes_at=closes_at)),
        participant=ParticipantState(language=language),
    )
    chat.send("SAFE")
    _intro, consent = chat.replies
    if language == "en":  # the bot's own lines: one GSM-7 segment, language line included
        assert count_segments(consent.text).segments == 1
        assert count_segments(consent.text).encoding == "GSM-7"
        assert sum(count_segments(r.text).segments for r in chat.replies) <= 2
    for reply in chat.replies:
        assert count_segments(reply.text).segments <= 3, reply.text


def test_the_conversation_takes_the_consultations_first_language_by_default() -> None:
    chat = Chat()
    chat.send("SAFE")
    assert chat.conversation is not None
    assert chat.conversation.language == "en"


def test_a_participant_who_chose_polish_gets_the_polish_intro() -> None:
    chat = Chat(participant=ParticipantState(language="pl"))
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["pl"]
    assert chat.replies[-1].text.splitlines()[-1] == "English: text ENGLISH"


def test_a_language_the_consultation_lacks_falls_back_to_its_first() -> None:
    chat = Chat(participant=ParticipantState(language="pl"))
    chat.send("HEARD")
    assert chat.conversation is not None
    assert chat.conversation.language == "en"
    assert chat.replies[0].text == HEARD.intro["en"]


def test_yes_starts_the_questions() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    assert chat.text.startswith("How safe do you feel in your area after dark?")
    [started] = facts_of(chat.facts, ResponseStarted)
    assert started.round_id == "feeling-safe-r1"
    assert started.respondent_token == chat.conversation.respondent_token  # type: ignore[union-attr]
    assert chat.participant.responses == {"feeling-safe-r1": started.respondent_token}


def test_yes_in_polish_starts_the_questions() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("Tak")
    assert chat.text.startswith("How safe do you feel")


def test_no_at_the_intro_ends_it_kindly_without_a_response() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("no")
    assert chat.text == "No problem. Text SAFE any time."
    assert chat.conversation is None
    assert chat.all_facts == []


def test_anything_else_at_the_intro_gets_a_short_hint() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("what?")
    assert chat.text == "Reply YES to start, or STOP to stop."
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.INTRO


def test_another_keyword_at_the_intro_opens_that_consultation_instead() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("KINDS")
    assert chat.replies[0].text == KINDS.intro["en"]
    assert chat.conversation is not None
    assert chat.conversation.consultation_id == "kinds"


def test_someone_who_took_part_is_thanked_not_asked_again() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    for answer in ("1", "3", "no", "no"):
        chat.send(answer)
    chat.send("SAFE")
    assert chat.text == "You've already taken part in this one. Thank you!"
    assert chat.facts == ()


def test_taking_part_is_per_round() -> None:
    chat = Chat(participant=ParticipantState(responses={"feeling-safe-r0": "old-token"}))
    chat.send("SAFE")
    assert chat.replies[0].text == FEELING_SAFE.intro["en"]


def test_the_respondent_token_comes_from_the_world() -> None:
    chat = Chat()
    chat.send("SAFE")
    assert chat.conversation is not None
    assert chat.conversation.respondent_token == "token-1"
    assert chat.conversation.started_at == chat.world.now


def test_begin_opens_a_consultation_straight_away() -> None:
    chat = Chat()
    chat.begin(open_round(HEARD))
    assert chat.replies[0].text == HEARD.intro["en"]
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.INTRO


def test_begin_after_stop_opts_back_in() -> None:
    chat = Chat(participant=ParticipantState(opted_out=True))
    chat.begin(open_round(HEARD))
    assert not chat.participant.opted_out
    assert chat.replies[0].text == HEARD.intro["en"]


def test_the_intro_question_has_yes_and_no_buttons_that_work_like_typing() -> None:
    chat = Chat()
    chat.send("SAFE")
    [ready] = [m for m in chat.last.replies if m.buttons] if chat.last else []
    assert "YES to start" in ready.text
    yes, _no = ready.buttons

    chat.press(yes.data)

    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.QUESTION


def test_the_intro_no_button_declines_kindly() -> None:
    chat = Chat()
    chat.send("SAFE")
    assert chat.last is not None
    [ready] = [m for m in chat.last.replies if m.buttons]

    chat.press(ready.buttons[1].data)

    assert chat.conversation is None
    assert "Text SAFE" in chat.text


def test_a_deep_link_mid_way_starts_the_other_consultation_and_keeps_the_first_partial() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")  # now at SAFE's first question

    chat.receive(Inbound(channel=Channel.TELEGRAM, text="HEARD", start=True))

    assert chat.conversation is not None
    assert chat.conversation.consultation_id == HEARD.id
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.PARTIAL


def test_a_deep_link_to_the_consultation_under_way_asks_the_question_again() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    question = chat.text

    chat.receive(Inbound(channel=Channel.TELEGRAM, text="SAFE", start=True))

    assert chat.text == question
    assert chat.conversation is not None
    assert chat.conversation.consultation_id == FEELING_SAFE.id


def test_typing_another_keyword_mid_way_is_still_an_answer() -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")

    chat.send("HEARD")

    assert chat.conversation is not None
    assert chat.conversation.consultation_id == FEELING_SAFE.id

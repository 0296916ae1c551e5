"""Questions: how they look, how answers are read and recorded, buttons, the end."""

from __future__ import annotations

from conversations.facts import AnswerRecorded, ResponseEnded, ResponseStatus, Subscribed
from conversations.model import UpdatesScope
from conversations.state import Phase
from tests.unit.conversations.engine.fixtures import Chat, facts_of


def started(keyword: str = "SAFE") -> Chat:
    chat = Chat()
    chat.send(keyword)
    chat.send("yes")
    return chat


def answers(chat: Chat) -> dict[str, object]:
    return {f.question_id: f.value for f in facts_of(chat.all_facts, AnswerRecorded)}


def test_a_choice_question_lists_numbered_choices_one_per_line() -> None:
    chat = started()
    assert chat.text == (
        "How safe do you feel in your area after dark?\n1 Very safe\n2 Fairly safe\n3 Not safe"
    )


def test_a_scale_question_says_how_to_answer_with_its_labels() -> None:
    chat = started()
    chat.send("1")
    assert chat.text.splitlines()[-1] == "Reply 1 to 5 (1 = Not at all, 5 = Completely)"


def test_an_updates_question_says_reply_yes_or_no() -> None:
    chat = started()
    chat.send("1")
    chat.send("3")
    assert chat.text.splitlines()[-1] == "Reply YES or NO"


def test_a_multi_question_asks_for_all_the_numbers_that_fit() -> None:
    chat = started("KINDS")
    assert chat.text.splitlines()[1:] == [
        "1 The park",
        "2 On the bus",
        "3 My street",
        "Reply with all the numbers that fit, like 1 3",
    ]


def test_a_choice_is_answered_by_its_number() -> None:
    chat = started()
    chat.send("2")
    assert answers(chat) == {"safe_after_dark": "fairly"}


def test_a_choice_is_answered_by_its_words() -> None:
    chat = started()
    chat.send("fairly safe")
    assert answers(chat) == {"safe_after_dark": "fairly"}


def test_a_choice_is_answered_in_another_offered_language() -> None:
    chat = started()
    chat.send("Raczej bezpiecznie")
    assert answers(chat) == {"safe_after_dark": "fairly"}


def test_not_very_safe_is_not_taken_as_very_safe() -> None:
    chat = started()
    chat.send("not very safe")
    assert answers(chat) == {}
    assert chat.text.startswith("Sorry, I didn't get that.")


def test_a_condition_skips_a_question_that_does_not_apply() -> None:
    chat = started()
    chat.send("1")  # very safe: "what makes you feel unsafe?" does not apply
    assert chat.text.startswith("How safe do you feel at school")


def test_a_condition_asks_a_question_that_applies() -> None:
    chat = started()
    chat.send("3")
    assert chat.text == "What makes you feel unsafe?"


def test_a_free_text_answer_is_stored_without_phone_numbers_or_emails() -> None:
    chat = started()
    chat.send("3")
    chat.send("gangs near the shop, text me on 07700 900123 or mo@example.com")
    stored = answers(chat)["why_unsafe"]
    assert isinstance(stored, str)
    assert "07700" not in stored
    assert "example.com" not in stored
    assert "[phone]" in stored
    assert "[email]" in stored
    assert chat.conversation is not None
    assert "07700" not in str(chat.conversation.answers)


def test_a_very_long_answer_is_cut_and_the_participant_told_kindly() -> None:
    chat = started()
    chat.send("3")
    chat.send("word " * 2000)
    stored = answers(chat)["why_unsafe"]
    assert isinstance(stored, str)
    assert len(stored) == 1000
    assert chat.text.startswith("That was long, so we kept the first 1000 characters.")
    assert "How safe do you feel at school" in chat.text


def test_control_characters_are_dropped_from_free_text() -> None:
    chat = started()
    chat.send("3")
    chat.send("dark\x00 alley\x07")
    assert answers(chat)["why_unsafe"] == "dark alley"


def test_a_scale_is_answered_by_a_number_in_range() -> None:
    chat = started()
    chat.send("1")
    chat.send("4")
    assert answers(chat)["how_safe_school"] == 4


def test_a_scale_is_answered_by_a_label() -> None:
    chat = started()
    chat.send("1")
    chat.send("completely")
    assert answers(chat)["how_safe_school"] == 5


def test_a_number_out_of_range_is_asked_again_with_the_range() -> None:
    chat = started("KINDS")
    chat.send("1 3")
    chat.send("99")
    assert chat.text.startswith("Sorry, I didn't get that. Reply with a number from 10 to 25.")
    chat.send("14")
    assert answers(chat) == {"places": ("park", "street"), "age": 14}


def test_multi_is_answered_by_several_numbers() -> None:
    chat = started("KINDS")
    chat.send("3, 1")
    assert answers(chat) == {"places": ("park", "street")}


def test_yes_to_updates_subscribes_to_this_consultations_updates() -> None:
    chat = started()
    for answer in ("1", "3", "yes"):
        chat.send(answer)
    [subscribed] = facts_of(chat.facts, Subscribed)
    assert subscribed.scope is UpdatesScope.THIS
    assert subscribed.consultation_id == "feeling-safe"
    assert subscribed.language == "en"


def test_yes_to_future_invitations_subscribes_to_invitations() -> None:
    chat = started()
    for answer in ("1", "3", "no", "yes"):
        chat.send(answer)
    [subscribed] = facts_of(chat.facts, Subscribed)
    assert subscribed.scope is UpdatesScope.FUTURE


def test_no_to_updates_subscribes_to_nothing() -> None:
    chat = started()
    for answer in ("1", "3", "no", "no"):
        chat.send(answer)
    assert facts_of(chat.all_facts, Subscribed) == []


def test_after_the_last_question_comes_the_closing_and_the_response_is_finished() -> None:
    chat = started()
    for answer in ("1", "3", "no", "no"):
        chat.send(answer)
    assert chat.text == "Thank you. Your answers help decide what we do next."
    [ended] = facts_of(chat.facts, ResponseEnded)
    assert ended.status is ResponseStatus.FINISHED
    assert chat.conversation is not None
    assert chat.conversation.phase is Phase.FINISHED


def test_a_message_after_the_end_is_a_first_contact() -> None:
    chat = started("HEARD")
    chat.send("yes")
    chat.send("it helped a lot")
    chat.send("hello again")
    assert "Text SAFE" in chat.text
    assert chat.conversation is None


def test_an_answer_not_understood_brings_the_question_again_with_a_hint() -> None:
    chat = started()
    chat.send("purple")
    assert chat.text == (
        "Sorry, I didn't get that. Reply with one number from the list.\n"
        "How safe do you feel in your area after dark?\n1 Very safe\n2 Fairly safe\n3 Not safe"
    )
    assert answers(chat) == {}


def test_after_two_tries_the_bot_moves_on_without_an_answer() -> None:
    chat = started()
    chat.send("purple")
    chat.send("orange")
    chat.send("green")
    assert chat.text.startswith("No problem, let's move on.\nHow safe do you feel at school")
    [recorded] = facts_of(chat.facts, AnswerRecorded)
    assert recorded.value is None
    assert recorded.skipped is False


def test_an_empty_message_is_told_only_text_is_read_and_not_counted_as_a_try() -> None:
    chat = started()
    chat.send("   ")
    assert chat.text.startswith("I can only read text.\nHow safe do you feel")
    chat.send("", has_media=True)
    assert chat.text.startswith("I can only read text.")
    assert chat.conversation is not None
    assert chat.conversation.reasks == 0


def test_a_question_carries_buttons_with_short_data_and_no_answer_text() -> None:
    chat = started()
    [reply] = chat.replies
    assert [b.label for b in reply.buttons] == ["Very safe", "Fairly safe", "Not safe"]
    assert reply.question_ref is not None
    for button in reply.buttons:
        assert len(button.data.encode()) <= 64
        assert button.data.startswith(f"a|{reply.question_ref}|")
        assert "safe" not in button.data.lower()


def test_a_multi_question_has_a_done_button() -> None:
    chat = started("KINDS")
    assert chat.replies[0].buttons[-1].label == "Done"


def test_tapping_a_button_answers_the_question() -> None:
    chat = started()
    chat.press(chat.replies[0].buttons[2].data)
    assert answers(chat) == {"safe_after_dark": "unsafe"}
    assert chat.text == "What makes you feel unsafe?"


def test_tapping_yes_answers_a_yes_no_question() -> None:
    chat = started("HEARD")
    chat.press(chat.replies[0].buttons[0].data)
    assert answers(chat) == {"helped": "yes"}


def test_tapping_choices_of_a_multi_question_then_done_records_them_all() -> None:
    chat = started("KINDS")
    buttons = chat.replies[0].buttons
    chat.press(buttons[2].data)
    assert chat.text.startswith("Picked: 3.")
    chat.press(buttons[0].data)
    assert chat.text.startswith("Picked: 1, 3.")
    assert answers(chat) == {}
    chat.press(buttons[-1].data)
    assert answers(chat) == {"places": ("park", "street")}


def test_a_button_of_a_question_that_has_passed_is_not_taken_as_an_answer() -> None:
    chat = started()
    old = chat.replies[0].buttons[0].data
    chat.send("1")
    chat.press(old)
    assert chat.text.startswith("That question has passed.\n\nHow safe do you feel at school")
    assert answers(chat) == {"safe_after_dark": "very"}


def test_a_button_with_foreign_data_is_not_an_answer() -> None:
    chat = started()
    chat.press("a|nothing|1")
    assert chat.text.startswith("That question has passed.")
    assert answers(chat) == {}

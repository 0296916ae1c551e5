"""The Telegram adapter's small pure parts: commands, splitting, keyboards, picks."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram.adapter import (
    Tap,
    command_text,
    keyboard,
    picked_text,
    send_kwargs,
    split_text,
    toggled,
    utf16_length,
)
from conversations.messages import Button, Outgoing


def test_start_alone_is_the_start_word_and_a_deep_link_is_its_keyword() -> None:
    assert command_text("/start") == "START"
    assert command_text("/start SAFE") == "SAFE"
    assert command_text("/start@yousaid_bot heard-2") == "heard-2"
    assert command_text("/start <script>") == "START"  # not a keyword: just start


def test_commands_become_the_words_the_bot_listens_for() -> None:
    assert command_text("/exit") == "EXIT"
    assert command_text("/HELP") == "HELP"
    assert command_text("/stop@yousaid_bot") == "STOP"
    assert command_text("/settings") == "/settings"  # unknown: passed as typed
    assert command_text("not / a command") == "not / a command"


def test_a_short_text_is_one_part_and_every_part_fits_telegrams_limit() -> None:
    assert split_text("Hello") == ["Hello"]
    long = "🙂" * 5000  # two UTF-16 units each: 10,000 units
    parts = split_text(long)
    assert all(utf16_length(p) <= 4096 for p in parts)
    assert "".join(parts) == long


def test_a_long_text_is_cut_at_a_line_break() -> None:
    text = ("a" * 3000) + "\n" + ("b" * 3000)
    assert split_text(text) == ["a" * 3000, "b" * 3000]


def test_every_part_is_protected_and_only_the_last_has_buttons() -> None:
    message = Outgoing("x " * 3000, buttons=(Button("Yes", "a|r|1"), Button("No", "a|r|2")))
    calls = send_kwargs(42, message)
    assert len(calls) == 2
    assert all(c["protect_content"] is True and c["chat_id"] == 42 for c in calls)
    assert "reply_markup" not in calls[0]
    assert "reply_markup" in calls[1]


def test_scale_points_sit_side_by_side_and_choices_one_a_row() -> None:
    scale = keyboard([Button(str(n), f"a|r|{n}") for n in range(1, 6)])
    assert scale is not None
    assert len(scale.inline_keyboard) == 1
    choices = keyboard(
        [Button("Very safe", "a|r|1"), Button("Fairly safe", "a|r|2"), Button("Not safe", "a|r|3")]
    )
    assert choices is not None
    assert len(choices.inline_keyboard) == 3


def test_callback_data_over_64_bytes_leaves_the_buttons_off() -> None:
    assert keyboard([Button("Yes", "a|" + "r" * 70 + "|1")]) is None


def test_the_pick_is_shown_under_the_question() -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Very safe", callback_data="a|r|1")],
            [InlineKeyboardButton("Not safe", callback_data="a|r|2")],
        ]
    )
    tap = Tap("q1", "a|r|2", 7, "How safe do you feel?", markup)
    assert picked_text(tap) == "How safe do you feel?\n\n✓ Not safe"


def test_multi_choice_ticks_toggle_and_done_shows_the_ticked() -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Lights", callback_data="a|r|1")],
            [InlineKeyboardButton("Clubs", callback_data="a|r|2")],
            [InlineKeyboardButton("Done", callback_data="a|r|done")],
        ]
    )
    ticked = toggled(toggled(markup, "a|r|1"), "a|r|2")
    assert toggled(toggled(ticked, "a|r|2"), "a|r|2") == ticked
    done = Tap("q2", "a|r|done", 8, "What would help?", ticked)
    assert picked_text(done) == "What would help?\n\n✓ Lights, Clubs"

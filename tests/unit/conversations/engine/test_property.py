"""Whatever anyone sends, in any order: no crash, always a reply (unless they said STOP)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.facts import AnswerRecorded, ResponseStarted
from conversations.keywords import LANGUAGE_NAMES, Keyword, words
from tests.unit.conversations.engine.fixtures import Chat, make_world

STOP_NOTICE = "You've stopped messages. Text START to start again."

KEYWORD_WORDS = sorted({w for k in Keyword for lang in ("en", "pl") for w in words(k, lang)})
MESSAGES = st.one_of(
    st.text(max_size=40),
    st.sampled_from([*KEYWORD_WORDS, "SAFE", "heard", "Kinds", *LANGUAGE_NAMES.values()]),
    st.sampled_from(["1", "2", "3", "5", "14", "1 3", "0", "-1", "99999999999999999999"]),
    st.sampled_from(["😀", "🙏🏽 stop", "مرحبا بالعالم", "שלום", "\x00\x1b[2J", "\u202eevil"]),
    st.sampled_from(["x" * 10_000, "😀" * 5_000, "07700 900123 " * 50]),
)
# A step: a text, a tap on a button of the last reply, or time passing.
STEPS = st.one_of(
    MESSAGES.map(lambda text: ("text", text)),
    st.integers(min_value=0, max_value=20).map(lambda i: ("tap", i)),
    st.sampled_from([("wait", 1), ("wait", 8)]),
)


def run(chat: Chat, steps: list[tuple[str, object]]) -> None:
    notices = 0
    for kind, value in steps:
        if kind == "wait":
            chat.later(timedelta(days=int(str(value))))
            continue
        was_out = chat.participant.opted_out
        if kind == "tap":
            buttons = [b for r in (chat.last.replies if chat.last else ()) for b in r.buttons]
            if not buttons:
                continue
            chat.press(buttons[int(str(value)) % len(buttons)].data)
        else:
            chat.send(str(value))
        if not was_out:
            notices = 0
            assert chat.replies, f"no reply to {value!r}"
        else:
            notices += sum(r.text == STOP_NOTICE for r in chat.replies)
            assert notices <= 1
        for reply in chat.replies:
            assert reply.text.strip()
            assert all(len(b.data.encode()) <= 64 for b in reply.buttons)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, max_size=25))
def test_any_sequence_of_messages_never_raises_and_always_gets_a_reply(
    steps: list[tuple[str, object]],
) -> None:
    run(Chat(), steps)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, max_size=25))
def test_a_conversation_already_under_way_survives_anything(
    steps: list[tuple[str, object]],
) -> None:
    chat = Chat()
    chat.send("SAFE")
    chat.send("yes")
    run(chat, steps)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, max_size=20))
def test_a_preview_never_records_a_response(steps: list[tuple[str, object]]) -> None:
    chat = Chat(world=make_world(preview=True))
    chat.send("SAFE")
    chat.send("yes")
    run(chat, steps)
    assert not [f for f in chat.all_facts if isinstance(f, AnswerRecorded | ResponseStarted)]

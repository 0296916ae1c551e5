"""A reply to an update is thanked and kept as anonymous feedback; MORE brings the rest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from conversations.engine import RecentUpdate
from conversations.facts import FeedbackGiven, OptedOut
from conversations.helplines import parse_helplines
from conversations.safeguarding import parse_lists
from conversations.safety_replies import WITHHELD, Safety
from tests.unit.conversations.engine.fixtures import NOW, Chat, facts_of, make_world

CONFIG = Path(__file__).resolve().parents[4] / "config"
THANKS = "Thank you for telling us. We read every reply."
FULL_LIST = "- Park lighting: done.\n- Youth club: in progress (60%).\n- Patrols: not doing it."


def recent(*, sent_days_ago: float = 1, more: str | None = None) -> RecentUpdate:
    return RecentUpdate(
        update_id="u1",
        consultation_id="feeling-safe",
        sent_at=NOW - timedelta(days=sent_days_ago),
        thanks=THANKS,
        more=more,
    )


def chat_after_update(**extra: Any) -> Chat:
    return Chat(world=make_world(**extra))


def test_a_reply_to_an_update_is_thanked_and_kept_as_feedback() -> None:
    chat = chat_after_update(recent_update=recent())

    replies = chat.send("Thanks, the new lights are great")

    assert replies == [THANKS]
    [feedback] = facts_of(chat.facts, FeedbackGiven)
    assert feedback == FeedbackGiven("u1", "feeling-safe", "Thanks, the new lights are great")


def test_feedback_is_redacted_before_it_is_kept() -> None:
    chat = chat_after_update(recent_update=recent())

    chat.send("call me on 07700 900123 about the park")

    [feedback] = facts_of(chat.facts, FeedbackGiven)
    assert "07700" not in feedback.text
    assert "about the park" in feedback.text


def test_a_disclosure_in_a_reply_gets_helplines_first_and_its_words_are_withheld() -> None:
    safety = Safety(
        lists=parse_lists(
            {p.name: p.read_text("utf-8") for p in (CONFIG / "safeguarding").glob("*.yaml")}
        ),
        helplines=parse_helplines((CONFIG / "helplines.yaml").read_text("utf-8")),
    )
    chat = chat_after_update(recent_update=recent(), safety=safety)

    replies = chat.send("my stepdad hits me")

    assert "999" in replies[0]
    assert replies[-1] == THANKS
    [feedback] = facts_of(chat.facts, FeedbackGiven)
    assert feedback.text == WITHHELD


def test_a_reply_after_fourteen_days_is_a_first_contact_again() -> None:
    chat = chat_after_update(recent_update=recent(sent_days_ago=15))

    replies = chat.send("hello, what was that about?")

    assert THANKS not in replies
    assert facts_of(chat.facts, FeedbackGiven) == []
    assert "SAFE" in replies[0]  # the welcome, naming what is open


def test_keywords_are_not_feedback() -> None:
    chat = chat_after_update(recent_update=recent())

    chat.send("STOP")

    assert facts_of(chat.facts, FeedbackGiven) == []
    assert facts_of(chat.facts, OptedOut)


def test_a_consultation_keyword_starts_it_rather_than_being_feedback() -> None:
    chat = chat_after_update(recent_update=recent())

    replies = chat.send("SAFE")

    assert facts_of(chat.facts, FeedbackGiven) == []
    assert chat.conversation is not None
    assert "Safer Streets" in replies[0]


def test_a_running_conversation_takes_the_text_as_its_answer() -> None:
    chat = chat_after_update(recent_update=recent())
    chat.send("SAFE")
    chat.send("yes")

    chat.send("very")

    assert facts_of(chat.facts, FeedbackGiven) == []


def test_a_preview_keeps_feedback_out_of_the_record() -> None:
    chat = chat_after_update(recent_update=recent(), preview=True)

    replies = chat.send("nice one")

    assert replies == [THANKS]
    assert facts_of(chat.facts, FeedbackGiven) == []


def test_more_sends_the_full_action_list_when_the_message_was_shortened() -> None:
    chat = chat_after_update(recent_update=recent(more=FULL_LIST))

    replies = chat.send("MORE")

    assert replies == [FULL_LIST]
    assert facts_of(chat.facts, FeedbackGiven) == []


def test_more_in_polish_works_too() -> None:
    chat = chat_after_update(recent_update=recent(more=FULL_LIST))

    assert chat.send("więcej") == [FULL_LIST]


def test_more_without_a_shortened_update_says_there_is_nothing_more() -> None:
    plain = chat_after_update(recent_update=recent(more=None))
    none_at_all = chat_after_update()

    assert plain.send("MORE") == none_at_all.send("MORE")
    assert FULL_LIST not in plain.text


class CountedLookup:
    """The pipeline's lookup of the last update, counting how often the engine asks."""

    def __init__(self, found: RecentUpdate | None) -> None:
        self.found = found
        self.asked = 0

    def __call__(self) -> RecentUpdate | None:
        self.asked += 1
        return self.found


def test_a_looked_up_update_is_thanked_like_one_handed_in() -> None:
    lookup = CountedLookup(recent())
    chat = chat_after_update(recent_update=lookup)

    assert chat.send("Thanks, the new lights are great") == [THANKS]
    assert lookup.asked == 1


def test_answers_in_a_consultation_never_look_the_update_up() -> None:
    lookup = CountedLookup(recent())
    chat = chat_after_update(recent_update=lookup)

    chat.send("SAFE")
    chat.send("yes")
    chat.send("3")

    assert lookup.asked == 0
    assert facts_of(chat.facts, FeedbackGiven) == []

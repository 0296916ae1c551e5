"""What an update says: figures quoted only when safe, 3 segments at most, MORE for the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conversations import updates
from conversations.catalogue import Catalogue
from conversations.facts import ResponseStatus
from conversations.loader import load_consultation
from conversations.messages import Channel
from conversations.results import AnswerRow, ResponseRow, summarise
from conversations.segments import count_segments
from conversations.update_file import Update, load_update
from conversations.updates import Figure, Reach, Recipient

CONFIG = Path(__file__).resolve().parents[4] / "config"
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
WORDS = Catalogue.from_po(
    {p.stem: p.read_text(encoding="utf-8") for p in (CONFIG / "locales" / "updates").glob("*.po")}
)
CONSULTATION = load_consultation(
    (CONFIG / "consultations" / "feeling-safe.yaml").read_text(encoding="utf-8"), "fs.yaml"
).consultation
assert CONSULTATION is not None
EXAMPLE = (CONFIG / "updates" / "feeling-safe-example.yaml").read_text(encoding="utf-8")


def example() -> Update:
    update = load_update(EXAMPLE, "example.yaml", CONSULTATION).update
    assert update is not None
    return update


def results(after_dark: dict[str, int], youth_clubs: int = 0, min_count: int = 10) -> object:
    """Results with these answers to safe_after_dark, and `youth_clubs` picks of it."""
    responses, answers = [], []
    n = 0
    for choice, count in after_dark.items():
        for _ in range(count):
            key = f"r{n}"
            responses.append(ResponseRow(key, "r1", Channel.SMS, ResponseStatus.FINISHED))
            answers.append(AnswerRow(key, "r1", "v", "safe_after_dark", choice, False))
            picks = ("youth_clubs",) if n < youth_clubs else ("lighting",)
            answers.append(AnswerRow(key, "r1", "v", "what_would_help", picks, False))
            n += 1
    return summarise([CONSULTATION], responses, answers, min_count)


def test_the_figure_is_the_share_of_those_who_answered_in_tenths() -> None:
    report = results({"not_very": 10, "not_at_all": 14, "very": 16}, youth_clubs=20)

    quoted = updates.figures(example(), report)  # type: ignore[arg-type]
    rendered = updates.render(example(), "en", WORDS, quoted)

    assert "6 in 10 of you said you don't feel safe after dark." in rendered.full
    assert "5 in 10 of you asked for youth clubs open later." in rendered.full
    assert rendered.notes == ()


def test_a_figure_from_too_few_people_is_never_quoted() -> None:
    report = results({"not_very": 5, "not_at_all": 3, "very": 8})  # 3 and 5 are suppressed

    quoted = updates.figures(example(), report)  # type: ignore[arg-type]
    rendered = updates.render(example(), "en", WORDS, quoted)

    assert "of you said you don't feel safe" not in rendered.full
    assert "- Park lighting: done." in rendered.full  # the action is still told
    assert rendered.notes
    assert "action 1" in rendered.notes[0]


@pytest.mark.parametrize(
    ("picked", "answered", "share"),
    [(12, 20, 6), (1, 100, 1), (99, 100, 9), (0, 30, 0), (30, 30, 10), (15, 20, 8), (5, 20, 3)],
)
def test_shares_round_half_up_and_never_say_none_or_all_unless_so(
    picked: int, answered: int, share: int
) -> None:
    assert Figure(picked, answered, True).share() == share


def test_the_first_message_fits_three_segments_and_more_sends_the_rest() -> None:
    quoted = updates.widest_figures(example())

    for language in ("en", "pl"):
        rendered = updates.render(example(), language, WORDS, quoted)
        assert count_segments(rendered.message).segments <= updates.MAX_SEGMENTS
        assert rendered.segments == count_segments(rendered.message).segments
        assert rendered.shortened
        assert rendered.full.count("\n- ") == 2  # all three actions
    english = updates.render(example(), "en", WORDS, quoted)
    assert english.message.splitlines()[0] == "News from the council's Safer Streets team."
    assert "Reply MORE for the full list." in english.message
    assert english.message.endswith("or STOP to stop these messages.")
    polish = updates.render(example(), "pl", WORDS, quoted)
    assert "WIECEJ" in polish.message
    assert "STOP" in polish.message


def test_a_short_update_goes_whole_with_no_more_line() -> None:
    text = EXAMPLE.split("  - title: {en: Youth club")[0]
    update = load_update(text, "short.yaml", CONSULTATION).update
    assert update is not None

    rendered = updates.render(update, "en", WORDS, updates.widest_figures(update))

    assert not rendered.shortened
    assert "MORE" not in rendered.message
    assert rendered.full in rendered.message


def test_a_first_line_too_long_for_three_segments_is_a_problem() -> None:
    long_first = EXAMPLE.replace("News from the council's Safer Streets team.", "News " * 100)
    update = load_update(long_first, "long.yaml", CONSULTATION).update
    assert update is not None

    problems = updates.too_long(updates.render_all(update, WORDS, updates.widest_figures(update)))

    assert problems
    assert "shorten first_line" in problems[0]


def test_a_language_without_words_falls_back_to_english_words() -> None:
    rendered = updates.render(example(), "ro", WORDS, updates.widest_figures(example()))

    assert rendered.language == "en"


def recipient(
    channel: Channel | None = Channel.SMS,
    language: str = "en",
    *,
    address: bool = True,
    wrote: timedelta = timedelta(hours=1),
) -> Recipient:
    return Recipient("p", channel, language, address, NOW - wrote)


def test_who_can_be_reached_and_how() -> None:
    templates = {"en": "HX1"}

    assert updates.reach(recipient(), NOW, templates) == (Reach.OK, None)
    assert updates.reach(recipient(Channel.TERMINAL), NOW, templates)[0] is Reach.TERMINAL
    assert updates.reach(recipient(address=False), NOW, templates)[0] is Reach.NO_ADDRESS
    assert updates.reach(recipient(None), NOW, templates)[0] is Reach.NO_CHANNEL
    inside = recipient(Channel.WHATSAPP, wrote=timedelta(hours=23, minutes=59))
    outside = recipient(Channel.WHATSAPP, wrote=timedelta(hours=24))
    assert updates.reach(inside, NOW, {}) == (Reach.OK, None)
    assert updates.reach(outside, NOW, templates) == (Reach.TEMPLATE, "HX1")
    polish = recipient(Channel.WHATSAPP, "pl", wrote=timedelta(days=3))
    assert updates.reach(polish, NOW, templates) == (Reach.NO_TEMPLATE, None)


def test_the_plan_groups_people_counts_the_cost_and_sets_the_unreachable_aside() -> None:
    rendered = updates.render_all(example(), WORDS, updates.widest_figures(example()))
    people = [
        *[recipient() for _ in range(3)],
        recipient(language="pl"),
        recipient(Channel.WHATSAPP, wrote=timedelta(days=2)),
        recipient(Channel.TELEGRAM),
        recipient(Channel.TERMINAL),
    ]

    plan = updates.plan(people, rendered, NOW, {"en": "HX1"})

    by_key = {(g.channel, g.language): g for g in plan.groups}
    sms = by_key[(Channel.SMS, "en")]
    assert (sms.recipients, sms.cost) == (3, 3 * rendered["en"].segments)
    assert by_key[(Channel.WHATSAPP, "en")].template == 1
    assert by_key[(Channel.TELEGRAM, "en")].cost == 0
    assert plan.recipients == 6
    assert plan.cost == 3 * rendered["en"].segments + rendered["pl"].segments + 1
    assert plan.unreachable == {(Channel.TERMINAL, "en", Reach.TERMINAL): 1}


def test_replies_are_published_only_when_enough_people_sent_them() -> None:
    few = updates.summarise_feedback(["a", "b"], 10)
    enough = updates.summarise_feedback([str(n) for n in range(12)], 10, shuffle_seed=1)
    none = updates.summarise_feedback([], 10)

    assert few.count.value is None
    assert few.count.suppressed
    assert few.replies == ()
    assert enough.count.value == 12
    assert sorted(enough.replies) == sorted(map(str, range(12)))
    assert none.count.value == 0
    assert not none.count.suppressed

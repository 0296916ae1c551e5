"""The public page's short link in an update: on its own line before the footer, counted
in the segments, after every action in MORE, and left out of a first message it can't fit
(MORE still has it)."""

from __future__ import annotations

from conversations import updates
from conversations.segments import count_segments
from conversations.update_file import load_update
from tests.unit.conversations.updates.test_updates_render import (
    CONSULTATION,
    EXAMPLE,
    WORDS,
    example,
)

LINK = "https://yousaid.example.gov.uk/c/feeling-safe"


def test_a_short_update_carries_the_link_before_its_footer() -> None:
    text = EXAMPLE.split("  - title: {en: Youth club")[0]
    update = load_update(text, "short.yaml", CONSULTATION).update
    assert update is not None
    figures = updates.widest_figures(update)

    plain = updates.render(update, "en", WORDS, figures)
    linked = updates.render(update, "en", WORDS, figures, LINK)

    lines = linked.message.splitlines()
    assert lines[-2] == LINK
    assert lines[-1].startswith("Reply to tell us what you think")
    assert linked.full.splitlines()[-1] == LINK  # MORE sends it too
    assert linked.segments == count_segments(linked.message).segments
    assert count_segments(linked.message).encoding == "GSM-7"  # the link costs no UCS-2
    assert len(linked.message) == len(plain.message) + len(LINK) + 1
    assert LINK not in plain.message
    assert LINK not in plain.full


def test_a_shortened_update_keeps_the_link_within_three_segments() -> None:
    linked = updates.render(example(), "en", WORDS, updates.widest_figures(example()), LINK)

    assert linked.shortened
    assert LINK in linked.message
    assert "Reply MORE for the full list." in linked.message
    assert linked.segments <= updates.MAX_SEGMENTS
    assert linked.full.endswith("\n" + LINK)


def test_a_link_that_cannot_fit_is_left_to_more_with_a_note() -> None:
    long_first = EXAMPLE.replace("News from the council's Safer Streets team.", "Word " * 68)
    update = load_update(long_first, "long.yaml", CONSULTATION).update
    assert update is not None

    linked = updates.render(update, "en", WORDS, updates.widest_figures(update), LINK)

    assert LINK not in linked.message
    assert linked.segments <= updates.MAX_SEGMENTS
    assert updates.too_long({"en": linked}) == []
    assert LINK in linked.full
    assert any("link to the public page" in note for note in linked.notes)


def test_render_all_puts_the_link_in_every_language() -> None:
    rendered = updates.render_all(example(), WORDS, updates.widest_figures(example()), LINK)

    assert all(LINK in r.full for r in rendered.values())
    assert all(LINK in r.message for r in rendered.values())

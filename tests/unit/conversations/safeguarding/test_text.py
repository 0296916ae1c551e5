"""Reading text: leetspeak, repeated letters, capitals, punctuation and accents folded."""

from __future__ import annotations

import pytest

from conversations.safeguarding import SafeguardingLists, screen


def test_leetspeak_is_read_as_letters(lists: SafeguardingLists) -> None:
    assert "self_harm" in screen("k1ll mys3lf", lists)
    assert "self_harm" in screen("$uicide", lists)
    assert "sexual_abuse" in screen("he r4ped me", lists)
    assert "violence" in screen("h3 h1ts m3", lists)


def test_repeated_letters_capitals_and_punctuation_do_not_matter(
    lists: SafeguardingLists,
) -> None:
    assert "violence" in screen("HE HIIIITS ME!!!", lists)
    assert "self_harm" in screen("i... want... to... die...", lists)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("bije mnie", "violence"),
        ("chce się zabić", "self_harm"),
        ("chce sie zabic", "self_harm"),
        ("CHCĘ SIĘ ZABIĆ", "self_harm"),
        ("ojczym mnie dotyka", "sexual_abuse"),
        ("tata mnie bije", "abuse_home"),
        ("kazą mi sprzedawać narkotyki", "exploitation"),
        ("sprawdza mój telefon", "coercive_control"),
    ],
)
def test_polish_disclosures_match_with_or_without_polish_letters(
    lists: SafeguardingLists, text: str, category: str
) -> None:
    assert category in screen(text, lists)

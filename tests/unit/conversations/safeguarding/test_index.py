"""The match index: words run together or apart, near misses, whole words only."""

from __future__ import annotations

from conversations.safeguarding import SafeguardingLists, screen


def test_words_run_together_or_split_still_match(lists: SafeguardingLists) -> None:
    assert "self_harm" in screen("gonna killmyself", lists)
    assert "self_harm" in screen("i will kill my self", lists)
    assert "violence" in screen("he hitsme", lists)


def test_a_typo_in_a_longer_word_of_a_phrase_is_forgiven(lists: SafeguardingLists) -> None:
    assert "self_harm" in screen("i want to kill mysefl", lists)
    assert "coercive_control" in screen("he tracks my locaton", lists)


def test_a_single_word_needs_no_near_miss_to_match(lists: SafeguardingLists) -> None:
    # "thanked" is one letter from "shanked"; single words match exactly.
    assert screen("i thanked the police for coming to school", lists) == ()


def test_words_match_whole_words_only(lists: SafeguardingLists) -> None:
    assert screen("grapes and drapes", lists) == ()
    assert screen("the stable by the farm", lists) == ()

"""The list parser: what a lead can write in a list, and the error for what they can't."""

from __future__ import annotations

import pytest

from conversations.safeguarding import (
    CATEGORIES,
    CATEGORY_NAMES,
    CLASSIFIER,
    ListError,
    SafeguardingLists,
    parse_lists,
    screen,
)


def test_every_shipped_list_covers_every_category(lists: SafeguardingLists) -> None:
    for file in ("en.yaml", "pl.yaml"):
        covered = {p.category for p in lists.phrases if p.file == file}
        assert covered == set(CATEGORIES), file
    assert set(CATEGORY_NAMES) == {*CATEGORIES, CLASSIFIER}


def test_a_lead_can_add_a_phrase() -> None:
    before = parse_lists({"en.yaml": "violence:\n  - he hits me\n"})
    assert screen("they nicked my bike", before) == ()
    after = parse_lists({"en.yaml": "violence:\n  - he hits me\n  - nicked my bike\n"})
    assert screen("they NICKED my bike!", after) == ("violence",)


def test_groups_wildcards_gaps_and_number_ranges() -> None:
    lists = parse_lists(
        {
            "x.yaml": (
                "groups:\n  family: [dad, step dad]\n"
                "abuse_home:\n  - <family> ... hit*\n"
                "child_age:\n  - i am <5-17>\n"
            )
        }
    )
    assert screen("my step dad always hitting me", lists) == ("abuse_home",)
    assert screen("dad hit", lists) == ("abuse_home",)
    assert screen("my dad went to the shop and then hit", lists) == ()  # more than 3 between
    assert screen("im 12 and my dad hits me", lists) == ("abuse_home", "child_age")
    assert screen("im 18 and my dad hits me", lists) == ("abuse_home",)


def test_start_and_end_mark_the_whole_message() -> None:
    lists = parse_lists({"x.yaml": "danger_now:\n  - <start> help me <end>\n"})
    assert screen("  HELP ME!! ", lists) == ("danger_now",)
    assert screen("it would help me", lists) == ()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("violence:\n  - ok\nfeelings:\n  - sad\n", 3, "'feelings' is not a category"),
        ("violence:\n  - he said: come here\n", 2, "quotes"),
        ("violence:\n  - <family> hits me\n", 2, "no group 'family'"),
        ("violence:\n  - 'st*'\n", 2, "at least 3 letters"),
        ("violence:\n  - hits ...\n", 2, "'...'"),
        ("child_age:\n  - <5-17>\n", 2, "number range"),
        ("child_age:\n  - i am <17-5>\n", 2, "smallest and largest"),
        ("violence:\n  - x\n", 2, "single letter"),
        ("violence: he hits me\n", 1, "own line"),
        ("violence:\n  - ok\n  - [broken\n", 3, "not readable YAML"),
        ("violence:\n  - ok\nviolence:\n  - again\n", 3, "written twice"),
        ("violence:\n  - '!!!'\n", 2, "no letters"),
    ],
)
def test_a_bad_list_entry_names_the_file_the_line_and_a_fix(
    text: str, line: int, words: str
) -> None:
    with pytest.raises(ListError) as error:
        parse_lists({"en.yaml": "self_harm:\n  - kms\n", "xx.yaml": text})
    assert error.value.file == "xx.yaml"
    assert error.value.line == line
    assert words in str(error.value)
    assert error.value.fix
    assert str(error.value).startswith(f"xx.yaml:{line}: ")


def test_a_match_inside_an_ordinary_phrase_is_ignored_but_nothing_else() -> None:
    lists = parse_lists(
        {"x.yaml": "weapons:\n  - knif*\nviolence:\n  - he hits me\nordinary:\n  - knife crime\n"}
    )
    assert screen("knife crime is bad", lists) == ()
    assert screen("knifecrime is bad", lists) == ()
    assert screen("knife crime is bad and he has a knife", lists) == ("weapons",)
    assert screen("knife crime is bad and he hits me", lists) == ("violence",)
    assert lists.ordinary
    assert all(p.category == "ordinary" for p in lists.ordinary)
    assert all(p.category != "ordinary" for p in lists.phrases)


def test_a_lead_can_mark_a_phrase_as_ordinary() -> None:
    before = parse_lists({"en.yaml": "weapons:\n  - knif*\n"})
    assert screen("knife amnesty now", before) == ("weapons",)
    after = parse_lists({"en.yaml": "weapons:\n  - knif*\nordinary:\n  - knife amnesty\n"})
    assert screen("knife amnesty now", after) == ()


def test_an_empty_list_file_matches_nothing() -> None:
    assert screen("kms", parse_lists({"en.yaml": "# nothing yet\n"})) == ()

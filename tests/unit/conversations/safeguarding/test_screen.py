"""The safeguarding screen, with the shipped word lists, on how people really write."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.safeguarding import (
    CATEGORIES,
    SafeguardingLists,
    matches,
    parse_lists,
    screen,
)
from tests.unit.conversations.safeguarding.shipped import DATA_DIR, LISTS, LISTS_DIR, sources

MIN_RECALL = 0.98  # on every disclosure we have, tuning and held-out together
MIN_HELD_OUT_RECALL = 0.95  # on the frozen held-out set alone (issue 6)
MAX_FALSE_ALARMS = 0.15  # ordinary answers flagged, in each language (issue 6)

# --- the evaluation -------------------------------------------------------------------


@dataclass
class Evaluation:
    caught: Counter[tuple[str, str]]  # (language, category) -> disclosures caught
    filed: Counter[tuple[str, str]]  # ... caught under the category a lead would file them
    disclosures: Counter[tuple[str, str]]
    flagged: Counter[str]  # language -> ordinary answers flagged
    flagged_as: Counter[tuple[str, str]]  # (language, category) -> ordinary answers flagged
    ordinary: Counter[str]  # language -> ordinary answers
    missed: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return sum(self.caught.values()) / sum(self.disclosures.values())

    @property
    def false_alarm_rate(self) -> float:
        return sum(self.flagged.values()) / sum(self.ordinary.values())

    def false_alarm_rates(self) -> dict[str, float]:
        """Language -> the share of its ordinary answers that got a safety message."""
        return {lang: self.flagged[lang] / n for lang, n in self.ordinary.items() if n}

    def report(self, name: str) -> str:
        lines = [
            f"{name}: recall {self.recall:.1%} "
            f"({sum(self.caught.values())}/{sum(self.disclosures.values())}), "
            f"false alarms {self.false_alarm_rate:.1%} "
            f"({sum(self.flagged.values())}/{sum(self.ordinary.values())})",
            f"  {'language':8} {'category':17} {'caught':>9} {'recall':>7} {'filed right':>11}"
            f" {'false alarms':>13}",
        ]
        languages = sorted({lang for lang, _ in self.disclosures} | set(self.ordinary))
        for language in languages:
            ordinary = self.ordinary[language]
            for category in CATEGORIES:
                key = (language, category)
                total = self.disclosures[key]
                recall = f"{self.caught[key] / total:.0%}" if total else "-"
                wrong = self.flagged_as[key]
                rate = f"{wrong}/{ordinary} {wrong / ordinary:.0%}" if ordinary else "-"
                lines.append(
                    f"  {language:8} {category:17} {self.caught[key]:>4}/{total:<4} {recall:>7}"
                    f" {self.filed[key]:>6}/{total:<4} {rate:>13}"
                )
            rate = f"{self.flagged[language] / ordinary:.1%}" if ordinary else "-"
            lines.append(
                f"  {language:8} {'(any category)':17} {'':>9} {'':>7} {'':>11}"
                f" {self.flagged[language]:>3}/{ordinary} {rate}"
            )
        lines += [f"  missed: {m}" for m in self.missed]
        lines += [f"  false alarm: {f}" for f in self.false_alarms]
        return "\n".join(lines)


def _evaluate(lists: SafeguardingLists, *names: str) -> Evaluation:
    result = Evaluation(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), [], [])
    for name in names:
        data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        for language, categories in data["disclosures"].items():
            for category, texts in categories.items():
                for text in texts:
                    key = (language, category)
                    found = screen(str(text), lists)
                    result.disclosures[key] += 1
                    result.caught[key] += bool(found)
                    result.filed[key] += category in found
                    if not found:
                        result.missed.append(f"[{language} {category}] {text}")
        for language, texts in data["ordinary"].items():
            for text in texts:
                result.ordinary[language] += 1
                found = screen(str(text), lists)
                if found:
                    result.flagged[language] += 1
                    result.flagged_as.update((language, category) for category in found)
                    result.false_alarms.append(f"[{language}] {text} -> {', '.join(found)}")
    return result


def test_labelled_set_is_big_enough_and_covers_every_category_in_both_languages() -> None:
    counts: Counter[str] = Counter()
    covered: set[tuple[str, str]] = set()
    for name in ("tuning", "heldout"):
        data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        for language, categories in data["disclosures"].items():
            for category, texts in categories.items():
                assert category in CATEGORIES, f"{name}.yaml: unknown category {category}"
                counts["disclosures"] += len(texts)
                covered.add((language, category))
        counts["ordinary"] += sum(len(texts) for texts in data["ordinary"].values())
    assert counts["disclosures"] >= 150
    assert counts["ordinary"] >= 100
    assert {(lang, c) for lang in ("en", "pl") for c in CATEGORIES} <= covered


def test_disclosures_are_caught(lists: SafeguardingLists) -> None:
    evaluation = _evaluate(lists, "tuning", "heldout")
    print("\n" + evaluation.report("all disclosures"))
    assert evaluation.recall >= MIN_RECALL, evaluation.report("all disclosures")


def test_held_out_disclosures_are_caught(lists: SafeguardingLists) -> None:
    evaluation = _evaluate(lists, "heldout")
    print("\n" + evaluation.report("held-out (frozen, never tuned on)"))
    assert evaluation.recall >= MIN_HELD_OUT_RECALL, evaluation.report("held-out")


@pytest.mark.parametrize("name", ["tuning", "heldout"])
def test_ordinary_answers_rarely_get_a_safety_message(lists: SafeguardingLists, name: str) -> None:
    evaluation = _evaluate(lists, name)
    print("\n" + evaluation.report(name))
    for language, rate in evaluation.false_alarm_rates().items():
        assert rate <= MAX_FALSE_ALARMS, f"{language}\n" + evaluation.report(name)


@pytest.mark.parametrize(
    "text",
    [
        "knife bins are a good idea",
        "people get stabbed near the station",
        "i'd die for a cinema night",
    ],
)
def test_the_issues_ordinary_answers_get_no_safety_message(
    lists: SafeguardingLists, text: str
) -> None:
    assert screen(text, lists) == ()


# --- how people really write ----------------------------------------------------------


def test_kms_is_self_harm(lists: SafeguardingLists) -> None:
    assert screen("kms", lists) == ("self_harm",)
    assert "self_harm" in screen("honestly i want to kms", lists)


@pytest.mark.parametrize(
    "text",
    [
        "kys",
        "gonna end it",
        "i want to die",
        "wanna die",
        "thinking of unaliving myself",
        "i'm going to kill myself",
        "i feel suicidal",
        "been self harming again",
        "i cut myself last night",
    ],
)
def test_ways_of_saying_self_harm_are_self_harm(lists: SafeguardingLists, text: str) -> None:
    assert "self_harm" in screen(text, lists)


def test_step_dad_touches_me_is_sexual_abuse(lists: SafeguardingLists) -> None:
    assert "sexual_abuse" in screen("my step dad touches me", lists)
    assert "sexual_abuse" in screen("my stepdad touches me", lists)
    assert "abuse_home" in screen("my step dad touches me", lists)


def test_he_hits_me_is_violence(lists: SafeguardingLists) -> None:
    assert "violence" in screen("he hits me", lists)
    assert "abuse_home" in screen("my dad hits me", lists)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("got shanked", "violence"),
        ("got merked", "violence"),
        ("the ops are outside", "violence"),
        ("he's got a blade", "weapons"),
        ("knife crime is bad and my brother carries a knife", "weapons"),
        ("he came at me with a kitchen knife", "weapons"),
        ("people get stabbed and i got stabbed too", "violence"),
        ("they make me run lines", "exploitation"),
        ("they make me hold stuff", "exploitation"),
        ("i owe them", "exploitation"),
        ("he checks my phone", "coercive_control"),
        ("wont let me see my friends", "coercive_control"),
        ("sent him pics and now he wants more", "grooming"),
        ("hes outside my door and im scared", "danger_now"),
        ("i was raped", "sexual_abuse"),
    ],
)
def test_slang_and_plain_disclosures_get_their_category(
    lists: SafeguardingLists, text: str, category: str
) -> None:
    assert category in screen(text, lists)


def test_child_age_alone_is_not_flagged(lists: SafeguardingLists) -> None:
    for text in ("im only 12", "i'm 13", "im 14 yrs old", "12yo", "mam 12 lat"):
        assert screen(text, lists) == (), text
        categories = [m.category for m in matches(text, lists)]
        assert categories, text
        assert all(category == "child_age" for category in categories), text


def test_child_age_is_reported_with_another_category(lists: SafeguardingLists) -> None:
    assert screen("im only 12 and he hits me", lists) == ("child_age", "violence")
    assert "child_age" in screen("mam 13 lat i chce sie zabic", lists)


def test_polish_list_is_screened_for_an_english_consultation(lists: SafeguardingLists) -> None:
    # The screen takes no language: every list is checked, so a Polish disclosure in an
    # English consultation is caught by the Polish list.
    found = matches("bije mnie", lists)
    assert found
    assert {m.file for m in found} == {"pl.yaml"}
    assert "violence" in screen("bije mnie", lists)
    assert screen("bije mnie", parse_lists(sources("en"))) == ()


def test_english_list_is_screened_for_polish_text(lists: SafeguardingLists) -> None:
    assert "self_harm" in screen("nie wiem, chyba kms", lists)


@pytest.mark.parametrize(
    "text",
    [
        "the park feels unsafe after dark",
        "more lights",
        "police should patrol more",
        "more lights would help me feel safer",
        "the youth club is great",
        "buses stop too early",
        "i'd die for a cinema night",
        "I feel unsafe because of knife crime",
        "we need more knife bins",
        "kosze na noże to dobry pomysł",
        "oops i meant 2",
        "w parku jest za ciemno",
        "",
        "   ",
        "👍",
    ],
)
def test_ordinary_answers_about_feeling_safe_do_not_match(
    lists: SafeguardingLists, text: str
) -> None:
    assert screen(text, lists) == ()


def test_help_me_alone_matches_but_help_me_feel_safer_does_not(
    lists: SafeguardingLists,
) -> None:
    assert screen("help me", lists) == ("danger_now",)
    assert screen("Help me!!", lists) == ("danger_now",)
    assert screen("cameras would help me feel safer", lists) == ()


def test_categories_come_sorted_and_once(lists: SafeguardingLists) -> None:
    found = screen("my stepdad hits me and touches me and he hits me again", lists)
    assert list(found) == sorted(set(found))


def test_matches_say_which_phrase_of_which_file_and_line(lists: SafeguardingLists) -> None:
    (match,) = [m for m in matches("kms", lists) if m.phrase == "kms"]
    source = (LISTS_DIR / match.file).read_text(encoding="utf-8").splitlines()
    assert source[match.line - 1].strip() == "- kms"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_screen_never_raises(text: str) -> None:
    result = screen(text, LISTS)
    assert all(c in CATEGORIES for c in result)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1304578@$'’ .\nkmsilhet", max_size=200))
def test_screen_never_raises_on_leetspeak_and_apostrophes(text: str) -> None:
    result = screen(text, LISTS)
    assert result == tuple(sorted(set(result)))
    assert all(c in CATEGORIES for c in result)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("a" * 10_000, ()),
        ("9" * 10_000, ()),
        ("he hits me " * 1_000, ("violence",)),  # still found, however long the message
        ("😀🔪 مرحبا שלום " * 700, ()),
        ("k1ll " * 2_000, ()),
        ("\u0301" * 10_000, ()),
        ("' " * 5_000, ()),
    ],
)
def test_long_and_strange_messages_are_screened_without_error(
    lists: SafeguardingLists, text: str, flagged: tuple[str, ...]
) -> None:
    assert screen(text[:10_000], lists) == flagged

"""The safeguarding decision: lists and classifier together, one text and the last few."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conversations.classifier import Model, ModelError, dump_model, parse_model, windows
from conversations.safeguarding import parse_lists
from conversations.screening import (
    CLASSIFIER,
    CONTEXT_CHARS,
    CONTEXT_TEXTS,
    Level,
    assess,
    remember,
)

CONFIG = Path(__file__).resolve().parents[3] / "config" / "safeguarding"
LISTS = parse_lists({p.name: p.read_text(encoding="utf-8") for p in CONFIG.glob("*.yaml")})
MODEL = parse_model("model.json", (CONFIG / "model.json").read_text(encoding="utf-8"))
NO_LISTS = parse_lists({})
# A model small enough to reason about: "uncle" and "touches" each half way to danger.
TOY = Model(bias=-4.0, weights={"w:uncle": 2.0, "w:touches": 2.5}, full=0.5, nudge=0.3)


@pytest.mark.parametrize(
    "text",
    [
        "my stepdad hits me",
        "i feel like nobody would notice if i was gone",
        "ojczym mnie bije",
        "nie chce zyc",
    ],
)
def test_a_disclosure_gets_the_full_message(text: str) -> None:
    verdict = assess(text, LISTS, MODEL)
    assert verdict.level is Level.FULL
    assert verdict.reasons  # the lead can see why


@pytest.mark.parametrize(
    "text",
    [
        "knife crime is a big issue round here",
        "people carry knives round here",
        "i could kill for a pizza",
        "noze to problem na osiedlu",
        "they should stop stabbings",
    ],
)
def test_talk_about_the_topic_and_idioms_get_nothing(text: str) -> None:
    assert assess(text, LISTS, MODEL).level is Level.NONE


def test_a_disclosure_without_any_list_phrase_is_named_as_the_classifiers() -> None:
    verdict = assess("i feel like nobody would notice if i was gone", LISTS, MODEL)
    assert verdict.categories == (CLASSIFIER,)
    assert any(reason.startswith('"') for reason in verdict.reasons)


def test_a_list_match_says_which_phrase_matched() -> None:
    verdict = assess("my stepdad hits me", LISTS, MODEL)
    assert any(reason.startswith("list violence") for reason in verdict.reasons)


def test_a_score_between_the_thresholds_gets_the_nudge() -> None:
    assert assess("my uncle touches", NO_LISTS, TOY).level is Level.FULL
    nudged = assess("touches and uncle", NO_LISTS, Model(-4.0, TOY.weights, 0.9, 0.3))
    assert nudged.level is Level.NUDGE


def test_a_disclosure_split_over_two_texts_is_caught_by_the_join() -> None:
    assert assess("my uncle", NO_LISTS, TOY).level is Level.NONE
    assert assess("touches me", NO_LISTS, TOY).level is Level.NONE
    joined = assess("touches me", NO_LISTS, TOY, context=("my uncle",))
    assert joined.level is Level.FULL


def test_the_join_never_demotes_what_a_text_says_alone() -> None:
    alone = assess("my stepdad hits me", LISTS, MODEL)
    after = assess("my stepdad hits me", LISTS, MODEL, context=("the park is nice",))
    assert after.level is alone.level is Level.FULL


def test_without_a_model_every_list_match_gets_the_full_message() -> None:
    assert assess("people get stabbed round here and he hits me", LISTS, None).level is Level.FULL
    assert assess("the park is nice", LISTS, None).level is Level.NONE


def test_a_childs_age_alone_is_no_disclosure() -> None:
    assert assess("im 12", LISTS, None).level is Level.NONE


def test_the_context_keeps_only_the_last_texts_each_bounded() -> None:
    context: tuple[str, ...] = ()
    for text in ["one", "two", "three", "x" * 5000]:
        context = remember(context, text)
    assert len(context) == CONTEXT_TEXTS
    assert context[0] == "three"
    assert len(context[-1]) == CONTEXT_CHARS


def test_a_very_long_message_is_screened_in_a_bounded_number_of_windows() -> None:
    words = ("the park is nice " * 3000).split()
    assert len(windows(words)) <= 8
    long = "the park is nice and the buses are late " * 250 + " i want to kill myself"
    assert assess(long, LISTS, MODEL).level is Level.FULL  # the lists read all of it


def test_a_model_file_round_trips_and_bad_ones_say_how_to_fix_them() -> None:
    assert parse_model("m.json", dump_model(TOY)) == TOY
    with pytest.raises(ModelError, match=r"m\.json:1: this is not valid JSON; rebuild"):
        parse_model("m.json", "{nope")
    with pytest.raises(ModelError, match="not a model file of format"):
        parse_model("m.json", json.dumps({"format": 99}))
    bad = json.loads(dump_model(TOY)) | {"full": 0.1, "nudge": 0.5}
    with pytest.raises(ModelError, match="thresholds are out of order"):
        parse_model("m.json", json.dumps(bad))
    with pytest.raises(ModelError, match="lacks a field"):
        parse_model("m.json", json.dumps({"format": 1, "bias": 0}))

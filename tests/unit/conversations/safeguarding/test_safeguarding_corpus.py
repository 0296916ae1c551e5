"""The labelled corpus, the shipped model, and the screen's figures on the frozen test split
(issue 16). `benchmarks/safeguarding_eval.py` prints the same figures per kind."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from benchmarks.safeguarding_corpus import (
    CORPUS,
    MODEL_FILE,
    Evaluation,
    evaluate,
    load_split,
    shipped_lists,
    training_examples,
)
from conversations.classifier import dump_model, parse_model
from scripts.build_safeguarding_model import build

# The frozen test split: nobody tunes on it, so an edit must fail here.
FROZEN = {
    "en.yaml": "3e1070164baa2e385f331813ba0e6ced4d7d17b5eacb05df4280d1fd4ce51466",
    "pl.yaml": "de688276c28693241d8aa3429790e56c97c697fb4983c20c8575b1f03f7e6b0b",
}
LANGUAGES = ("en", "pl")
DISCLOSURE_KINDS = frozenset(
    [
        "danger_now",
        "threats",
        "violence",
        "weapons",
        "stalking_control",
        "self_harm",
        "suicidal",
        "abuse_home",
        "sexual_abuse",
        "exploitation",
        "harmful_practices",
        "sextortion",
        "split",
    ]
)
ORDINARY_KINDS = frozenset(["topic", "opinion", "ask_more", "idiom", "fuzzy_trap", "everyday"])
MIN_PER_KIND = 30  # in the test split, per language
MIN_PER_LANGUAGE = 300  # disclosures, and ordinary answers, over all splits

# What the screen reaches today on the frozen test split, kept as a floor so that it can
# only get better. Issue 16 asks for 97 % recall overall, 95 % in every language and kind,
# and at most 5 % false alarms: English is there overall, Polish and the indirect suicidal
# kind are not yet (docs/safeguarding.md, "The figures").
MIN_RECALL = {"en": 0.97, "pl": 0.93}
MAX_FALSE_ALARMS = {"en": 0.05, "pl": 0.11}
MIN_RECALL_PER_KIND = 0.70
MAX_NUDGES = 0.20


@pytest.fixture(scope="module")
def test_split() -> Evaluation:
    model = parse_model(MODEL_FILE.name, MODEL_FILE.read_text(encoding="utf-8"))
    return evaluate(load_split("test"), shipped_lists(), model)


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_the_test_split_is_frozen(name: str) -> None:
    digest = hashlib.sha256((CORPUS / "test" / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], (
        f"corpus/test/{name} changed: it is frozen. Add examples to train/ or dev/; to"
        " replace it, write a new file, commit it, and only then measure"
    )


def test_the_corpus_covers_every_kind_in_every_language() -> None:
    counts = Counter((e.language, e.kind) for e in load_split("test"))
    for language in LANGUAGES:
        for kind in DISCLOSURE_KINDS | ORDINARY_KINDS:
            assert counts[language, kind] >= MIN_PER_KIND, (language, kind)
    everything = [e for split in ("train", "dev", "test") for e in load_split(split)]
    for language in LANGUAGES:
        for disclosure in (True, False):
            total = sum(
                1 for e in everything if (e.language, e.disclosure) == (language, disclosure)
            )
            assert total >= MIN_PER_LANGUAGE, (language, disclosure, total)
    splits = [e for e in everything if e.kind == "split"]
    assert all(2 <= len(e.texts) <= 3 for e in splits)


def test_the_model_never_trains_on_a_text_of_the_test_split() -> None:
    frozen = {text for example in load_split("test") for text in example.texts}
    trained = {text for example in training_examples() for text in example.texts}
    assert not frozen & trained


def test_the_shipped_model_is_what_the_corpus_builds() -> None:
    built = dump_model(build(shipped_lists()))
    assert built == MODEL_FILE.read_text(encoding="utf-8"), (
        "config/safeguarding/model.json is out of date: run"
        " PYTHONPATH=. .venv/bin/python scripts/build_safeguarding_model.py"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_disclosures_in_the_test_split_get_the_helplines(
    test_split: Evaluation, language: str
) -> None:
    print("\n" + test_split.report("test split"))
    assert test_split.recall(language) >= MIN_RECALL[language], test_split.missed
    for key in test_split.keys(True, language):
        assert test_split.rate([key]) >= MIN_RECALL_PER_KIND, (key, test_split.missed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ordinary_answers_in_the_test_split_rarely_get_the_helplines(
    test_split: Evaluation, language: str
) -> None:
    assert test_split.false_alarm_rate(language) <= MAX_FALSE_ALARMS[language], (
        test_split.false_alarms
    )
    assert test_split.nudge_rate(language) <= MAX_NUDGES


def test_the_lists_alone_do_worse_than_lists_and_model(test_split: Evaluation) -> None:
    lists_only = evaluate(load_split("test"), shipped_lists(), None)
    assert test_split.recall() > lists_only.recall()
    assert test_split.false_alarm_rate() < lists_only.false_alarm_rate()

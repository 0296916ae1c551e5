"""Recall and false alarms of the safeguarding screen, per language and kind, per split.

Run: PYTHONPATH=. .venv/bin/python benchmarks/safeguarding_eval.py [SPLIT ...] [--lists-only]
     [--show-misses]

Splits: train, dev, test (default: all three). ``--lists-only`` measures the word lists
alone (the screen before issue 16). "caught" counts disclosures that got the full
helplines; "helplines" counts ordinary answers that got them (false alarms); "nudged"
counts those that got only the one-line nudge with no numbers.
"""

from __future__ import annotations

import sys
import time

from benchmarks.safeguarding_corpus import (
    MODEL_FILE,
    SPLITS,
    Example,
    evaluate,
    load_split,
    shipped_lists,
)
from conversations.classifier import Model, parse_model
from conversations.redaction import redact
from conversations.safeguarding import SafeguardingLists
from conversations.screening import assess


def main(argv: list[str]) -> int:
    splits = [a for a in argv if a in SPLITS] or list(SPLITS)
    lists = shipped_lists()
    model = None
    if "--lists-only" not in argv:
        model = parse_model(MODEL_FILE.name, MODEL_FILE.read_text(encoding="utf-8"))
    for split in splits:
        examples = load_split(split)
        started = time.perf_counter()
        result = evaluate(examples, lists, model)
        texts = sum(len(e.texts) for e in examples)
        per_text = (time.perf_counter() - started) / texts * 1000
        print(result.report(f"{split} ({'lists only' if model is None else 'lists + model'})"))
        print(
            f"  overall: recall {result.recall():.1%}, false alarms "
            f"{result.false_alarm_rate():.1%}, nudges {result.nudge_rate():.1%};"
            f" {per_text:.3f} ms per text"
        )
        # Beside the lists alone, timed in the same run: a shared machine's load varies.
        print(
            f"  screening with the last two texts, plus redaction:"
            f" {_speed(examples, lists, model)} (lists alone: {_speed(examples, lists, None)})"
        )
        if "--show-misses" in argv:
            print("\n".join(f"  missed: {m}" for m in result.missed))
            print("\n".join(f"  false alarm: {f}" for f in result.false_alarms))
    return 0


def _speed(examples: list[Example], lists: SafeguardingLists, model: Model | None) -> str:
    """The best of five runs over the split's texts, per text: the lean path's cost."""
    texts = [t for e in examples for t in e.texts]
    context = ("the park is fine in the day", "more lights please")
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for text in texts:
            assess(text, lists, model, context)
            redact(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    return f"{best * 1000:.3f} ms per text"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

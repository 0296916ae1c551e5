"""Build config/safeguarding/model.json from the corpus's train split (and tuning.yaml).

Run: PYTHONPATH=. .venv/bin/python scripts/build_safeguarding_model.py [--check]

Deterministic: the same corpus and lists give the same file, byte for byte (a fixed
shuffle seed, plain Python floats, sorted output). The thresholds are chosen on the dev
split, never on the frozen test split. ``--check`` rebuilds in memory and fails when the
shipped file differs (the corpus or the lists changed without a rebuild).

Training is L2-regularised logistic regression by AdaGrad over the features of
`conversations.screening.text_features`, each language's two classes weighing the same.
That a miss costs more than a false alarm is left to the thresholds, chosen for recall
first. Plain Python on purpose: about three thousand short texts train in seconds, and no
machine-learning library is needed anywhere.
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence

from benchmarks.safeguarding_corpus import (
    CORPUS,
    LEGACY,
    LISTS_DIR,
    MODEL_FILE,
    Example,
    load_split,
    shipped_lists,
    training_examples,
)
from benchmarks.safeguarding_corpus import digest as file_digest
from conversations.classifier import Model, dump_model
from conversations.safeguarding import SafeguardingLists, read
from conversations.screening import assess, remember, text_features

EPOCHS = 25
LEARNING_RATE = 0.3
L2 = 1e-3
SEED = 16
PRUNE = 0.005  # weights smaller than this are left out of the file
FULL_ALARMS = 0.03  # the full message: the lowest threshold with at most 3 % false alarms
FULL_RANGE = (0.3, 0.9)  # ... on dev, kept within these bounds
NUDGE_ALARMS = 0.10  # the nudge: at most 10 % of ordinary answers on dev
NUDGE_RANGE = (0.1, 0.9)


def main(argv: Sequence[str]) -> int:
    lists = shipped_lists()
    model = build(lists)
    text = dump_model(model)
    if "--check" in argv:
        if MODEL_FILE.read_text(encoding="utf-8") != text:
            print(f"{MODEL_FILE} is out of date: run scripts/build_safeguarding_model.py")
            return 1
        print(f"{MODEL_FILE} is up to date")
        return 0
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(
        f"wrote {MODEL_FILE}: {len(model.weights)} weights, "
        f"full at {model.full}, nudge at {model.nudge}"
    )
    return 0


def build(lists: SafeguardingLists) -> Model:
    """The model trained on train + tuning.yaml, thresholds chosen on dev."""
    train = training_examples()
    # Each language's disclosures and ordinary answers weigh the same in total, so that
    # a language with fewer ordinary examples does not learn "anything in it is danger".
    sizes = Counter((e.language, e.disclosure) for e in train)
    rows: list[tuple[list[str], int, float]] = []
    for example in train:
        share = max(sizes.values()) / sizes[example.language, example.disclosure]
        for text in _training_texts(example):
            for found in text_features(text, read(text, lists)):
                rows.append((found, int(example.disclosure), share))
    bias, weights = _train(rows)
    inputs = [*sorted((CORPUS / "train").glob("*.yaml")), LEGACY]
    inputs += sorted(LISTS_DIR.glob("*.yaml"))
    draft = Model(bias, weights, full=0.5, nudge=0.5, corpus=file_digest(inputs))
    full, nudge = _thresholds(load_split("dev"), lists, draft)
    return Model(bias, weights, full=full, nudge=nudge, corpus=draft.corpus)


def _training_texts(example: Example) -> list[str]:
    """A split disclosure trains as its texts joined; the parts alone teach nothing."""
    if len(example.texts) > 1:
        return [" ".join(example.texts)]
    return list(example.texts)


def _train(rows: list[tuple[list[str], int, float]]) -> tuple[float, dict[str, float]]:
    weights: dict[str, float] = defaultdict(float)
    squares: dict[str, float] = defaultdict(float)
    bias, bias_square = 0.0, 0.0
    order = list(range(len(rows)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            found, label, share = rows[i]
            total = bias + sum(weights[f] for f in found)
            p = 1.0 / (1.0 + math.exp(-total)) if total >= 0 else _low(total)
            gradient = (p - label) * share
            for f in found:
                g = gradient + L2 * weights[f]
                squares[f] += g * g
                weights[f] -= LEARNING_RATE * g / math.sqrt(squares[f])
            bias_square += gradient * gradient
            bias -= LEARNING_RATE * gradient / math.sqrt(bias_square)
    kept = {f: w for f, w in weights.items() if abs(w) >= PRUNE}
    return bias, kept


def _low(total: float) -> float:
    z = math.exp(total)
    return z / (1.0 + z)


def _thresholds(dev: list[Example], lists: SafeguardingLists, draft: Model) -> tuple[float, float]:
    """The full and nudge thresholds, chosen on the dev split's scores."""
    probe = Model(draft.bias, draft.weights, full=0.999999, nudge=0.999999)
    negatives: list[float] = []
    previous: dict[tuple[str, str], str] = {}
    for example in dev:
        if example.disclosure:
            continue  # only the ordinary answers' scores set the thresholds
        key = (example.language, example.kind)
        context = (previous[key],) if key in previous else ()
        previous[key] = example.texts[-1]
        best = 0.0
        for text in example.texts:
            best = max(best, assess(text, lists, probe, context).score)
            context = remember(context, text)
        negatives.append(best)
    full = _lowest(negatives, FULL_ALARMS, FULL_RANGE)
    nudge = min(full, _lowest(negatives, NUDGE_ALARMS, NUDGE_RANGE))
    return full, nudge


def _lowest(negatives: list[float], alarms: float, bounds: tuple[float, float]) -> float:
    """The lowest threshold (in steps of 0.01, within `bounds`) at which at most `alarms`
    of the dev split's ordinary answers score that high: recall first, within a budget."""
    low, high = (round(b * 100) for b in bounds)
    for step in range(low, high + 1):
        t = step / 100
        if sum(n >= t for n in negatives) / len(negatives) <= alarms:
            return t
    return high / 100


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

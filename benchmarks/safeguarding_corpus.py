"""The labelled safeguarding corpus (tests/data/safeguarding/corpus/) and its evaluation.

Shared by the model build (scripts/build_safeguarding_model.py), the evaluation command
(benchmarks/safeguarding_eval.py) and the tests. The corpus is one YAML file per split and
language: ``disclosures`` and ``ordinary``, each kind -> texts; an entry of the ``split``
kind is a list of texts sent one after another.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conversations.classifier import Model
from conversations.safeguarding import SafeguardingLists, parse_lists
from conversations.screening import Level, assess, remember

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "safeguarding" / "corpus"
LEGACY = ROOT / "tests" / "data" / "safeguarding" / "tuning.yaml"
LISTS_DIR = ROOT / "config" / "safeguarding"
MODEL_FILE = LISTS_DIR / "model.json"
SPLITS = ("train", "dev", "test")
SPLIT_KIND = "split"


@dataclass(frozen=True)
class Example:
    """One labelled item: its texts in order (one, or several for a split disclosure)."""

    language: str
    kind: str
    disclosure: bool
    texts: tuple[str, ...]


def load_split(split: str) -> list[Example]:
    """Every example of one split, every language, in file order."""
    examples: list[Example] = []
    for path in sorted((CORPUS / split).glob("*.yaml")):
        language = path.name.split(".", 1)[0]  # en.yaml, en.more.yaml: English
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        for section, disclosure in (("disclosures", True), ("ordinary", False)):
            for kind, items in (data.get(section) or {}).items():
                for item in items or []:
                    texts = tuple(str(t) for t in item) if isinstance(item, list) else (str(item),)
                    examples.append(Example(language, str(kind), disclosure, texts))
    return examples


def training_examples() -> list[Example]:
    """What the model is trained on: the train split and tuning.yaml, less any text that
    is also in the test split (short ones like "i want to die" turn up in both)."""
    frozen = {text for example in load_split("test") for text in example.texts}
    examples = load_split("train") + load_legacy()
    return [e for e in examples if not frozen.intersection(e.texts)]


def load_legacy() -> list[Example]:
    """The issue 6 tuning set (tuning.yaml), as more training examples."""
    data = yaml.safe_load(LEGACY.read_text(encoding="utf-8"))
    examples = [
        Example(language, f"legacy_{category}", True, (str(text),))
        for language, categories in data["disclosures"].items()
        for category, texts in categories.items()
        for text in texts
    ]
    examples += [
        Example(language, "legacy_ordinary", False, (str(text),))
        for language, texts in data["ordinary"].items()
        for text in texts
    ]
    return examples


def shipped_lists() -> SafeguardingLists:
    """The word lists in config/safeguarding/."""
    paths = sorted(LISTS_DIR.glob("*.yaml"))
    return parse_lists({p.name: p.read_text(encoding="utf-8") for p in paths})


def digest(paths: list[Path]) -> str:
    """SHA-256 over files' bytes, in the order given."""
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


@dataclass
class Evaluation:
    """Counts per (language, kind): how many, how many got helplines, how many a nudge."""

    total: Counter[tuple[str, str]] = field(default_factory=Counter)
    full: Counter[tuple[str, str]] = field(default_factory=Counter)
    nudged: Counter[tuple[str, str]] = field(default_factory=Counter)
    disclosure_kinds: set[tuple[str, str]] = field(default_factory=set)
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def rate(self, keys: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> float:
        keys = list(keys)
        total = sum(self.total[k] for k in keys)
        return sum(self.full[k] for k in keys) / total if total else 0.0

    def keys(self, disclosure: bool, language: str | None = None) -> list[tuple[str, str]]:
        return sorted(
            k
            for k in self.total
            if (k in self.disclosure_kinds) == disclosure and language in (None, k[0])
        )

    def recall(self, language: str | None = None) -> float:
        return self.rate(self.keys(True, language))

    def false_alarm_rate(self, language: str | None = None) -> float:
        return self.rate(self.keys(False, language))

    def nudge_rate(self, language: str | None = None) -> float:
        keys = self.keys(False, language)
        total = sum(self.total[k] for k in keys)
        return sum(self.nudged[k] for k in keys) / total if total else 0.0

    def report(self, name: str) -> str:
        lines = [f"{name}"]
        for language in sorted({k[0] for k in self.total}):
            lines.append(
                f"  {language}: disclosure recall {self.recall(language):.1%}"
                f"  false alarms {self.false_alarm_rate(language):.1%}"
                f"  nudges on ordinary {self.nudge_rate(language):.1%}"
            )
            for key in self.keys(True, language) + self.keys(False, language):
                what = "caught" if key in self.disclosure_kinds else "helplines"
                lines.append(
                    f"    {key[1]:18} {self.full[key]:>3}/{self.total[key]:<3} {what:9}"
                    f" {self.full[key] / self.total[key]:6.1%}   nudged {self.nudged[key]:>3}"
                )
        return "\n".join(lines)


def evaluate(examples: list[Example], lists: SafeguardingLists, model: Model | None) -> Evaluation:
    """Screen every example as the bot would: each text with the ones before it.

    A disclosure counts as caught when one of its texts got the full helplines. An
    ordinary answer is screened after the answer before it of the same kind, as if one
    person had sent both, so the join with earlier texts is measured too.
    """
    result = Evaluation()
    previous: dict[tuple[str, str], str] = {}
    for example in examples:
        key = (example.language, example.kind)
        result.total[key] += 1
        if example.disclosure:
            result.disclosure_kinds.add(key)
            context: tuple[str, ...] = ()
        else:
            context = (previous[key],) if key in previous else ()
            previous[key] = example.texts[-1]
        levels = set()
        for text in example.texts:
            levels.add(assess(text, lists, model, context).level)
            context = remember(context, text)
        if Level.FULL in levels:
            result.full[key] += 1
            if not example.disclosure:
                result.false_alarms.append(f"[{key[0]} {key[1]}] {' / '.join(example.texts)}")
        else:
            result.nudged[key] += Level.NUDGE in levels
            if example.disclosure:
                result.missed.append(f"[{key[0]} {key[1]}] {' / '.join(example.texts)}")
    return result

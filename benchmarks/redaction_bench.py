"""Precision, recall and speed of conversations.redaction on the labelled set.

Run: PYTHONPATH=. .venv/bin/python benchmarks/redaction_bench.py [dev|heldout] [--show-misses]

- span recall: PII spans gone after redaction, with no word of them left;
- word precision: of the words redaction removed, the share that were PII;
- ordinary kept: answers without PII that came back unchanged.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from conversations.redaction import REDACTION_TAGS, redact

PII_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "pii"
TAG_WORDS = frozenset(tag.strip("[]") for tag in REDACTION_TAGS)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def measure(split: str, show_misses: bool) -> None:
    lines = (PII_DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    spans = gone = ordinary = kept = removed_words = removed_pii_words = 0
    for item in items:
        text, pii = item["text"], item["pii"]
        redacted = redact(text)
        removed = Counter(words(text)) - Counter(words(redacted))
        removed_words += sum(removed.values())
        removed_pii_words += sum((removed & Counter(words(" ".join(pii)))).values())
        if not pii:
            ordinary += 1
            kept += redacted == text
            if show_misses and redacted != text:
                print(f"  changed: {text!r} -> {redacted!r}")
            continue
        rest = text
        for span in pii:
            rest = rest.replace(span, " ")
        allowed = set(words(rest)) | TAG_WORDS
        for span in pii:
            spans += 1
            leaked = [w for w in words(span) if w in words(redacted) and w not in allowed]
            if span.lower() not in redacted.lower() and not leaked:
                gone += 1
            elif show_misses:
                print(f"  missed: {span!r} in {redacted!r}")
    precision = removed_pii_words / removed_words if removed_words else 1.0
    print(
        f"{split:8} items {len(items):4}  span recall {gone}/{spans} = {gone / spans:.3f}  "
        f"word precision {precision:.3f}  ordinary kept {kept}/{ordinary} = {kept / ordinary:.3f}"
    )


def time_long_message() -> None:
    lines = (PII_DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    answers = " ".join(json.loads(line)["text"] for line in lines if line.strip())
    mixed = (answers * 10)[:10_000]
    prose = ("the park at night is scary and the boys by the station shout at us " * 200)[:10_000]
    for name, text in [("answers with PII", mixed), ("plain prose", prose)]:
        best = min(_seconds(text) for _ in range(5))
        print(f"10,000 characters of {name}: {best * 1000:.1f} ms")


def _seconds(text: str) -> float:
    start = time.perf_counter()
    redact(text)
    return time.perf_counter() - start


if __name__ == "__main__":
    splits = [arg for arg in sys.argv[1:] if not arg.startswith("-")] or ["dev", "heldout"]
    for split in splits:
        measure(split, show_misses="--show-misses" in sys.argv)
    time_long_message()

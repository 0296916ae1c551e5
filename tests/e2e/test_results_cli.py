"""`yousaid results` as an officer reads it: labels that say what a hidden count is, a
readable table, `--by`, and suppression that holds across every view set side by side.

Two rounds of a small consultation are answered through the real pipeline (as `yousaid
chat --live` would), then every view the command offers is taken through the real
`yousaid` script: overall, each round, a breakdown by age band overall and per round, as a
table, CSV and JSON. An attacker then puts all of them together (every sum inside a view,
every view's counts adding up to the overall ones, and what each label says) and narrows
each hidden count as far as it can: no small count is ever worked out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime
from conversations.messages import Channel, Inbound
from tests.e2e.cli import (
    Run,
    assert_no_traceback,
    environment,
    open_installation,
    yousaid,
)

PARK = """\
id: park
title: The park
languages: [en]
keyword: PARK
messages:
  intro: "Hi, this is the council. 2 quick questions about the park. Reply SKIP to skip one."
  closing: "Thanks!"
questions:
  - id: safe
    type: choice
    text: "Do you feel safe in the park?"
    choices:
      - {id: "yes", text: "Yes"}
      - {id: "no", text: "No"}
      - {id: unsure, text: "Not sure"}
  - id: age_band
    type: choice
    optional: true
    text: "How old are you?"
    choices:
      - {id: under_16, text: "Under 16"}
      - {id: over_16, text: "16 or over"}
"""
# (answer to safe, answer to age: 1, 2 or skip, how many people), per round.
ROUND_A = [("1", "1", 6), ("1", "2", 6), ("2", "1", 4), ("2", "2", 3), ("3", "skip", 3)]
ROUND_B = [("1", "2", 5), ("2", "1", 8), ("3", "1", 2)]
SMALL = "fewer than 10"
PROTECT = "hidden to protect a small group"


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    return environment(tmp_path, sqlite_url)


@pytest.fixture
def runtime(env: dict[str, str]) -> Iterator[Runtime]:
    opened = open_installation(env)
    yield opened
    opened.db.close()


def take_part(runtime: Runtime, people: list[tuple[str, str, int]], prefix: str) -> None:
    pipeline = Pipeline(runtime)
    for n, (safe, age, count) in enumerate(people):
        for k in range(count):
            address = Address.terminal(f"{prefix}-{n}-{k}")
            for text in ("PARK", "yes", safe, age):
                pipeline.receive(Received(address, Inbound(Channel.TERMINAL, text), "terminal"))


@pytest.fixture
def rounds(env: dict[str, str], runtime: Runtime, tmp_path: Path) -> tuple[str, str]:
    """Two rounds answered: 22 people in the first, 15 in the second."""
    path = tmp_path / "park.yaml"
    path.write_text(PARK)
    loaded = yousaid(env, "consultation", "load", str(path), "--open")
    first = re.search(r"round (\w+) open now", loaded.out)
    assert first, loaded.out + loaded.err
    take_part(runtime, ROUND_A, "a")
    assert yousaid(env, "round", "close", first.group(1)).code == 0
    scheduled = yousaid(
        env, "round", "schedule", "park", "--opens", "now", "--closes", "2031-01-31"
    )
    second = re.search(r"Round (\w+) of park", scheduled.out)
    assert second, scheduled.out + scheduled.err
    take_part(runtime, ROUND_B, "b")
    return first.group(1), second.group(1)


def results(env: dict[str, str], *args: str) -> Run:
    run = yousaid(env, "results", "park", *args)
    assert_no_traceback(run)
    assert run.code == 0, run.err
    return run


def as_json(env: dict[str, str], *args: str) -> dict[str, object]:
    found = json.loads(results(env, "--format", "json", *args).out)
    assert isinstance(found, dict)
    return found


def test_hidden_counts_say_why_in_the_table_csv_and_json(
    env: dict[str, str], rounds: tuple[str, str]
) -> None:
    document = as_json(env)
    table = results(env).out
    rows = list(csv.reader(io.StringIO(results(env, "--format", "csv").out)))

    safe = document["questions"][0]  # type: ignore[index]
    options = {o["id"]: o for o in safe["options"]}
    # 17 said yes: shown. 5 said "not sure": fewer than 10. So that those 5 can't be
    # worked out from 37 answered less 17, the 15 who said no are hidden to protect them.
    assert options["yes"]["count"] == 17
    assert options["unsure"]["shown_as"] == SMALL
    assert options["unsure"]["count"] is None
    assert options["no"]["shown_as"] == PROTECT
    assert options["no"]["count"] is None
    # Age skipped by 3: fewer than 10.
    age = document["questions"][1]  # type: ignore[index]
    assert age["skipped"] == {
        "count": None,
        "suppressed": True,
        "hidden": "small",
        "shown_as": SMALL,
    }
    # Anything hidden to protect that small count says so, not "fewer than 10".
    protecting = [
        count
        for question in document["questions"]  # type: ignore[attr-defined]
        for count in (question["asked"], question["answered"])
        if count["suppressed"]
    ]
    assert protecting
    assert all(c["shown_as"] == PROTECT for c in protecting)
    assert "<10" not in table
    assert not any("<10" in cell for row in rows for cell in row)
    assert ["age_band", "How old are you?", "(skipped)", SMALL] in rows
    assert SMALL in table
    assert PROTECT in table


def test_the_table_reads_one_block_per_question_with_percentages(
    env: dict[str, str], rounds: tuple[str, str]
) -> None:
    table = results(env).out
    by_age = results(env, "--by", "age_band", "--min-count", "3").out

    lines = [" ".join(line.replace("│", " ").split()) for line in table.splitlines()]
    assert "safe: Do you feel safe in the park?" in lines
    assert "age_band: How old are you?" in lines
    assert "Yes 17 46%" in lines  # 17 of the 37 who answered
    assert f"No {PROTECT}" in lines  # no percentage for a hidden cell
    assert f"Not sure {SMALL}" in lines
    assert "Answered 37" in lines
    assert "terminal 37 37 0 0" in lines  # the one channel in use...
    assert not any(line.startswith(("sms", "whatsapp", "telegram")) for line in lines)
    # ...and --by: every question broken down by age band, a count and % per group.
    flat = [" ".join(re.sub("[│┃]", " ", line).split()) for line in by_age.splitlines()]
    assert "By age_band: How old are you?" in flat, by_age
    assert "Under 16 20" in flat
    assert "16 or over 14" in flat
    assert "answer Under 16 16 or over No answer" in flat
    # 11 of the 14 over-16s said yes; the 2 unsure under-16s are hidden, and so is what
    # would give them away; nobody is ever shown as "fewer than" in a breakdown.
    assert f"Yes {PROTECT} 11 (79%) 0" in flat
    assert f"Answered {PROTECT} 14 {PROTECT}" in flat
    assert "fewer than" not in by_age.split("By age_band")[1]


def test_no_view_set_beside_the_others_gives_a_small_count_away(
    env: dict[str, str], rounds: tuple[str, str]
) -> None:
    first, second = rounds
    views = {
        "all": as_json(env),
        first: as_json(env, "--round", first),
        second: as_json(env, "--round", second),
        "all by age": as_json(env, "--by", "age_band"),
        f"{first} by age": as_json(env, "--by", "age_band", "--round", first),
        f"{second} by age": as_json(env, "--by", "age_band", "--round", second),
    }
    csv_rows = list(csv.reader(io.StringIO(results(env, "--format", "csv").out)))
    truth = true_counts(first, second)

    attack = Attack()
    for name, document in views.items():
        view = name.split(" ")[0]
        attack.read(view, document, finer=view != "all")
    attack.across(["all", first, second])
    narrowed = attack.narrow()

    hidden = [key for key, (low, high) in attack.known.items() if low != high]
    assert hidden, "something is hidden"
    for key, value in truth.items():
        if key in attack.known:  # every label tells the truth...
            low, high = narrowed[key]
            assert low <= value, key
            assert high is None or value <= high, key
    for key in hidden:  # ...and no small count can be worked out, from all of it at once
        value = truth.get(key)
        if value is not None and 0 < value < 10:
            low, high = narrowed[key]
            assert low != high, f"{key} = {value} can be worked out"
    # The CSV shows the same cells, with the same words, as the JSON.
    shown = {(row[0], row[2]): row[3] for row in csv_rows[1:]}
    age = views["all"]["questions"][1]  # type: ignore[index]
    assert shown[("age_band", "(skipped)")] == age["skipped"]["shown_as"]
    assert shown[("safe", "Yes")] == "17"


def true_counts(first: str, second: str) -> dict[str, int]:
    """The real counts, keyed as the attack keys them (for the checks, not the attack)."""
    found: dict[str, int] = {}
    for view, people in ((first, ROUND_A), (second, ROUND_B)):
        for safe, age, n in people:
            for where in (view, "all"):
                for key in (
                    f"{where}:safe:{safe}",
                    f"{where}:age_band:{age}",
                    f"{where}:by:safe:{safe}:{age}",
                    f"{where}:by:safe:answered:{age}",
                ):
                    found[key] = found.get(key, 0) + n
    return found


class Attack:
    """Everything a reader learns from the views: each count's bounds from its label, and
    the sums that tie them; then interval propagation to narrow each as far as it goes."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[int, int | None]] = {}
        self.sums: list[tuple[str, list[str]]] = []
        self.at_most: list[tuple[str, str]] = []
        self.structure: dict[str, list[str]] = {}  # view -> its keys

    def read(self, view: str, document: dict[str, object], finer: bool) -> None:
        """One view's document; `finer` for a round's view (a breakdown always is)."""
        cells = self.structure.setdefault(view, [])

        def put(key: str, count: dict[str, object], breakdown: bool = False) -> str:
            full = f"{view}:{key}"
            if full not in cells:
                cells.append(full)
            self.known[full] = _bounds(count, finer or breakdown)
            return full

        responses = document["responses"]  # type: ignore[index]
        rows = {"all": responses["total"], **responses["by_channel"]}  # type: ignore[index]
        for channel, counts in rows.items():
            parts = [put(f"r:{channel}:{k}", counts[k]) for k in ("finished", "partial")]
            parts.append(put(f"r:{channel}:in_progress", counts["in_progress"]))
            self.sums.append((put(f"r:{channel}:started", counts["started"]), parts))
        for k in ("started", "finished", "partial", "in_progress"):
            channels = [f"{view}:r:{c}:{k}" for c in rows if c != "all"]
            self.sums.append((f"{view}:r:all:{k}", channels))
        for question in document["questions"]:  # type: ignore[attr-defined]
            q = question["id"]
            asked = put(f"{q}:asked", question["asked"])
            answered = put(f"{q}:answered", question["answered"])
            self.sums.append((asked, [answered, put(f"{q}:skip", question["skipped"])]))
            options = [put(f"{q}:{i}", o) for i, o in _numbered(question["options"])]
            self.sums.append((answered, options))
            self.at_most.append((asked, f"{view}:r:all:started"))
        breakdown = document.get("breakdown")
        if breakdown:
            groups = ["1", "2", "skip"]  # under 16, 16 or over, no answer
            for question in breakdown["questions"]:  # type: ignore[index]
                q = question["id"]
                totals = [
                    put(f"by:{q}:answered:{g}", c, breakdown=True)
                    for g, c in zip(groups, question["answered"], strict=True)
                ]
                self.sums.append((f"{view}:{q}:answered", totals))
                for g, total in zip(groups[:2], totals, strict=False):
                    self.at_most.append((total, f"{view}:age_band:{g}"))
                per_option: list[list[str]] = []
                for i, option in _numbered(question["options"]):
                    cells_of = [
                        put(f"by:{q}:{i}:{g}", c, breakdown=True)
                        for g, c in zip(groups, option["counts"], strict=True)
                    ]
                    per_option.append(cells_of)
                    self.sums.append((f"{view}:{q}:{i}", cells_of))
                for k, total in enumerate(totals):
                    self.sums.append((total, [cells_of[k] for cells_of in per_option]))

    def across(self, views: list[str]) -> None:
        """Each count of the overall view is the sum of the rounds'."""
        whole, *parts = views
        for key in self.structure[whole]:
            tail = key.split(":", 1)[1]
            same = [f"{view}:{tail}" for view in parts]
            if all(s in self.known for s in same):
                self.sums.append((key, same))

    def narrow(self) -> dict[str, tuple[int, int | None]]:
        bounds = dict(self.known)
        for _ in range(200):
            changed = False
            for total, parts in self.sums:
                if total not in bounds or any(p not in bounds for p in parts):
                    continue
                changed |= _tighten(bounds, total, parts)
            for low_key, high_key in self.at_most:
                if low_key in bounds and high_key in bounds:
                    lo, hi = bounds[low_key]
                    top = bounds[high_key][1]
                    if top is not None and (hi is None or hi > top):
                        bounds[low_key] = (lo, top)
                        changed = True
            if not changed:
                break
        return bounds


def _numbered(options: list[dict[str, object]]) -> Iterator[tuple[str, dict[str, object]]]:
    for number, option in enumerate(options, 1):
        yield str(number), option


def _bounds(count: dict[str, object], finer: bool) -> tuple[int, int | None]:
    if not count["suppressed"]:
        value = count["count"]
        assert isinstance(value, int)
        return (value, value)
    if count["hidden"] == "small":
        return (1, 9)
    if count["hidden"] == "protects" and not finer:
        return (10, None)
    return (0, None)


def _tighten(bounds: dict[str, tuple[int, int | None]], total: str, parts: list[str]) -> bool:
    changed = False
    lows = [bounds[p][0] for p in parts]
    highs = [bounds[p][1] for p in parts]
    t_low, t_high = bounds[total]
    new_low = max(t_low, sum(lows))
    new_high = t_high
    if all(h is not None for h in highs):
        top = sum(h for h in highs if h is not None)
        new_high = top if new_high is None else min(new_high, top)
    if (new_low, new_high) != (t_low, t_high):
        bounds[total] = (new_low, new_high)
        changed = True
    t_low, t_high = bounds[total]
    for k, part in enumerate(parts):
        others_low = sum(lows) - lows[k]
        others_high = [h for j, h in enumerate(highs) if j != k]
        p_low, p_high = bounds[part]
        if t_high is not None:
            cap = t_high - others_low
            p_high = cap if p_high is None else min(p_high, cap)
        if all(h is not None for h in others_high):
            p_low = max(p_low, t_low - sum(h for h in others_high if h is not None))
        if (p_low, p_high) != bounds[part]:
            bounds[part] = (p_low, p_high)
            changed = True
    return changed

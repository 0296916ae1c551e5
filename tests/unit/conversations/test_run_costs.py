"""What a run through a consultation costs: the opening, and the shortest and longest path."""

from __future__ import annotations

from pathlib import Path

from conversations.catalogue import Catalogue
from conversations.loader import load_consultation
from conversations.run_costs import run_costs
from conversations.segments import count_segments

LOCALES = Path(__file__).resolve().parents[3] / "config" / "locales"

RULES = """\
id: paths
title: Paths
languages: [en]
keyword: PATHS
messages:
  intro: "Hi. A few questions."
  closing: "Thanks!"
questions:
  - id: age
    type: number
    min: 10
    max: 30
    text: "How old are you?"
  - id: school
    type: yesno
    when: age < 18 and age answered
    text: "Do you go to school?"
  - id: which
    type: choice
    when: school == yes and school answered
    text: "Which?"
    choices: [{id: a, text: A}, {id: b, text: B}]
  - id: work
    type: text
    when: age >= 18 or age skipped
    text: "{work}"
"""
# Two segments on its own (over 160 characters), so the two-question path costs more.
WORK = "What work do you do? " + "Tell us in your own words. " * 6


def catalogue() -> Catalogue:
    return Catalogue.from_po({"en": (LOCALES / "en.po").read_text(encoding="utf-8")})


def test_the_paths_follow_the_rules() -> None:
    consultation = load_consultation(RULES.replace("{work}", WORK), "paths.yaml").consultation
    assert consultation is not None

    [cost] = run_costs(consultation, catalogue())

    assert count_segments(WORK).segments == 2
    assert cost.opening == 2
    # Under 18: age, school (no: 2 questions; yes: which too). 18 or over, or a skip: age,
    # work (2 segments). Each other message is 1 segment; the closing is 1.
    assert cost.shortest == cost.opening + 1 + 1 + 1  # age, school (no), closing
    assert cost.longest == cost.opening + 1 + 2 + 1  # age, work, closing; = age, school, which
    assert cost.fewest_questions == 2
    assert cost.most_questions == 3
    assert cost.exact

"""What the consultation file tests share: a file's first lines, loading text, its one error."""

from __future__ import annotations

from pathlib import Path

from conversations.consultation_file import LoadResult, load_consultation
from conversations.problems import Problem

DATA = Path(__file__).resolve().parents[3] / "data" / "consultations"

# Lines 1-8; a test's questions start on line 9.
HEAD = """\
id: test
title: Test consultation
languages: [en, pl]
keyword: TESTING
messages:
  intro: {en: Hi, pl: Cześć}
  closing: {en: Thanks, pl: Dzięki}
questions:
"""
YESNO = "  - {id: ok, type: yesno, text: {en: 'OK?', pl: 'OK?'}}\n"


def load_file(name: str) -> LoadResult:
    """The result of loading tests/data/consultations/`name`."""
    return load_consultation((DATA / name).read_text(encoding="utf-8"), name)


def load(text: str) -> LoadResult:
    """The result of loading `text` as test.yaml."""
    return load_consultation(text, "test.yaml")


def with_questions(questions: str, head: str = HEAD) -> LoadResult:
    """The result of a file of `head` (lines 1-8) and then `questions`."""
    return load(head + questions)


def only_error(result: LoadResult) -> Problem:
    """The one error of `result` (it fails the test when there are more or none)."""
    assert len(result.errors) == 1, "\n".join(str(p) for p in result.problems)
    assert result.consultation is None
    return result.errors[0]

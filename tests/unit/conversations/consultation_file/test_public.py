"""`public:` in a consultation file: false unless the file says true, and only a yes or no."""

from __future__ import annotations

import pytest

from conversations.loader import load_consultation
from tests.unit.conversations.consultation_file.helpers import HEAD, YESNO, only_error


def test_a_consultation_is_not_public_unless_it_says_so() -> None:
    consultation = load_consultation(HEAD + YESNO, "test.yaml").consultation

    assert consultation is not None
    assert consultation.public is False


@pytest.mark.parametrize(("written", "public"), [("true", True), ("yes", True), ("false", False)])
def test_public_is_read_from_the_file(written: str, public: bool) -> None:
    result = load_consultation(f"public: {written}\n" + HEAD + YESNO, "test.yaml")

    assert result.problems == [] or not result.errors
    assert result.consultation is not None
    assert result.consultation.public is public


def test_public_must_be_true_or_false() -> None:
    problem = only_error(load_consultation("public: sometimes\n" + HEAD + YESNO, "test.yaml"))

    assert (problem.line, problem.message) == (1, "public should be true or false")


def test_public_changes_the_version() -> None:
    plain = load_consultation(HEAD + YESNO, "test.yaml").consultation
    shown = load_consultation("public: true\n" + HEAD + YESNO, "test.yaml").consultation

    assert plain is not None
    assert shown is not None
    assert plain.version != shown.version

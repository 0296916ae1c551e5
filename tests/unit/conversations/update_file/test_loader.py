"""Update files are checked like consultations: every problem, with its line and a fix."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conversations.loader import load_consultation
from conversations.model import Consultation
from conversations.update_file import (
    ActionStatus,
    UpdateLoad,
    consultation_of,
    load_update,
    update_digest,
)

CONFIG = Path(__file__).resolve().parents[4] / "config"
EXAMPLE = (CONFIG / "updates" / "feeling-safe-example.yaml").read_text(encoding="utf-8")


def feeling_safe() -> Consultation:
    text = (CONFIG / "consultations" / "feeling-safe.yaml").read_text(encoding="utf-8")
    consultation = load_consultation(text, "feeling-safe.yaml").consultation
    assert consultation is not None
    return consultation


FEELING_SAFE = feeling_safe()
# The same consultation offered in English and Polish only, for the short updates below.
EN_PL = replace(FEELING_SAFE, languages=("en", "pl"))

MINIMAL = """\
consultation: feeling-safe
languages: [en, pl]
first_line: {en: "News from the council.", pl: "Wiadomość od rady."}
actions:
  - title: {en: Park lighting, pl: Oświetlenie}
    status: done
    changed: {en: New lights., pl: Nowe lampy.}
"""


def load(
    text: str, expected: str | None = "feeling-safe", consultation: Consultation = EN_PL
) -> UpdateLoad:
    return load_update(text, "update.yaml", consultation, expected)


def messages(result: UpdateLoad) -> list[str]:
    return [str(p) for p in result.problems]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_example_loads_cleanly() -> None:
    result = load(EXAMPLE, consultation=FEELING_SAFE)

    assert result.problems == ()
    assert result.update is not None
    assert [a.status for a in result.update.actions] == [
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
        ActionStatus.NOT_DOING,
    ]
    said = result.update.actions[0].you_said
    assert said is not None
    assert said.question_id == "safe_after_dark"
    assert said.choices == ("not_very", "not_at_all")


def test_a_file_about_another_consultation_is_an_error_on_its_line() -> None:
    text = MINIMAL.replace("consultation: feeling-safe", "consultation: heard")

    result = load(text)

    assert result.update is None
    assert messages(result) == [
        "update.yaml:1: this update is for 'heard', not 'feeling-safe'; "
        "send it for the consultation it names, or correct 'consultation:'"
    ]


def test_not_doing_needs_a_reason() -> None:
    text = MINIMAL.replace("status: done", "status: not_doing").replace(
        "    changed: {en: New lights., pl: Nowe lampy.}\n", ""
    )

    result = load(text)

    [problem] = result.problems
    assert problem.line == line_of(text, "- title")
    assert "not_doing without a reason" in problem.message


def test_an_unknown_status_gets_a_suggestion() -> None:
    result = load(MINIMAL.replace("status: done", "status: dnoe"))

    [problem] = result.problems
    assert "is 'dnoe', not a status" in problem.message
    assert "did you mean 'done'?" in problem.fix


def test_a_status_may_be_written_with_spaces() -> None:
    text = MINIMAL.replace("status: done", "status: In progress")

    result = load(text)

    assert result.update is not None
    assert result.update.actions[0].status is ActionStatus.IN_PROGRESS


def test_a_misspelt_key_gets_did_you_mean() -> None:
    text = MINIMAL.replace("    changed:", "    chnaged:")

    result = load(text)

    found = messages(result)
    assert any("unknown key 'chnaged'" in m and "did you mean 'changed'?" in m for m in found)


def test_a_misspelt_key_an_action_must_have_is_one_problem_not_two() -> None:
    # The same rule as consultation files: the typo is said once, not again as "no 'title'".
    text = MINIMAL.replace("  - title:", "  - tittle:")

    result = load(text)

    assert messages(result) == [
        "update.yaml:5: actions[1] has an unknown key 'tittle'; did you mean 'title'?"
    ]


def test_a_language_with_a_region_says_its_plain_code() -> None:
    # The same words as consultation files, which suggest the code to write.
    result = load(MINIMAL.replace("languages: [en, pl]", "languages: [en-GB, pl]"))

    assert messages(result) == [
        "update.yaml:2: languages[1] is 'en-GB', not a plain language code; write 'en'"
    ]


def test_a_missing_translation_is_named_with_its_line() -> None:
    text = MINIMAL.replace(', pl: "Wiadomość od rady."', "")

    result = load(text)

    [problem] = result.problems
    assert problem.line == line_of(text, "first_line")
    assert problem.message == "first_line has no 'pl' text"


def test_you_said_must_quote_the_figure() -> None:
    text = MINIMAL + (
        "    you_said:\n"
        "      question: safe_after_dark\n"
        "      choice: not_at_all\n"
        "      text: {en: Many of you said so., pl: '{figure} z Was.'}\n"
    )

    result = load(text)

    [problem] = result.problems
    assert "(en) does not quote the figure" in problem.message
    assert "{figure}" in problem.fix


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("question: safe_aftr_dark", "did you mean 'safe_after_dark'?"),
        ("question: safe_after_dark\n      choice: sometimes", "is not an answer to"),
        ("question: what_would_help\n      choice: [lighting, patrols]", "one person would count"),
        ("question: why_unsafe\n      choice: x", "a text question"),
    ],
)
def test_you_said_must_name_a_question_and_answers_it_has(said: str, expected: str) -> None:
    text = MINIMAL + (
        f"    you_said:\n      {said}\n      text: {{en: '{{figure}} said', pl: '{{figure}}'}}\n"
    )

    result = load(text)

    assert result.update is None
    assert any(expected in m for m in messages(result)), messages(result)


def test_progress_is_a_percentage_of_something_in_progress() -> None:
    over = load(MINIMAL.replace("status: done", "status: in_progress\n    progress: 120"))
    done = load(MINIMAL.replace("status: done", "status: done\n    progress: 50"))

    assert any("is 120, not a percentage" in m for m in messages(over))
    assert any("has a progress percentage but is done" in m for m in messages(done))


def test_every_language_the_consultation_speaks_is_needed() -> None:
    text = (
        MINIMAL.replace("languages: [en, pl]", "languages: [en]")
        .replace(', pl: "Wiadomość od rady."', "")
        .replace(", pl: Oświetlenie", "")
        .replace(", pl: Nowe lampy.", "")
    )

    result = load(text)

    [problem] = result.problems
    assert "has no pl" in problem.message
    assert problem.line == line_of(text, "languages")


def test_every_problem_is_reported_at_once() -> None:
    text = MINIMAL.replace("status: done", "status: nope").replace("    changed:", "    chang:")

    result = load(text)

    assert len(result.errors) >= 2


def test_unreadable_yaml_and_an_empty_file_say_where_and_what_to_do() -> None:
    broken = load(MINIMAL + "  - title: {en: 'unclosed\n")
    empty = load("")

    assert broken.update is None
    assert broken.problems[0].line > 1
    assert str(empty.problems[0]) == (
        "update.yaml:1: the file is empty; start from the example in config/updates/"
    )


def test_a_file_checked_without_the_consultation_still_checks_its_shape() -> None:
    result = load_update(MINIMAL, "update.yaml")

    assert result.ok
    assert result.update is not None
    assert result.update.consultation_id == "feeling-safe"


def test_the_digest_is_the_text_and_line_endings_do_not_count() -> None:
    assert update_digest(MINIMAL) == update_digest(MINIMAL.replace("\n", "\r\n"))
    assert update_digest(MINIMAL) != update_digest(MINIMAL + "# edited\n")


def test_the_consultation_a_file_names_can_be_read_first() -> None:
    assert consultation_of(MINIMAL) == "feeling-safe"
    assert consultation_of(": : :") is None

"""The consultation loader: YAML text in, a Consultation or every problem with its line out."""

from __future__ import annotations

from pathlib import Path

from conversations.loader import LoadResult, Problem, consultation_version, load_consultation
from conversations.model import QuestionType, UpdatesScope

DATA = Path(__file__).parent.parent / "data" / "consultations"


def load_file(name: str) -> LoadResult:
    return load_consultation((DATA / name).read_text(encoding="utf-8"), name)


def test_the_good_file_loads_with_no_problems() -> None:
    result = load_file("good.yaml")

    assert result.ok
    assert result.problems == ()
    consultation = result.consultation
    assert consultation is not None
    assert consultation.id == "feeling-safe"
    assert consultation.keyword == "SAFE"
    assert [q.type for q in consultation.questions] == [
        QuestionType.CHOICE,
        QuestionType.TEXT,
        QuestionType.SCALE,
        QuestionType.MULTI,
        QuestionType.NUMBER,
        QuestionType.YESNO,
        QuestionType.UPDATES,
        QuestionType.UPDATES,
    ]
    assert consultation.questions[-1].scope is UpdatesScope.FUTURE


def test_a_problem_reads_file_line_what_and_fix() -> None:
    problem = Problem("safe.yaml", 7, "keyword is 'STOP'", "choose another word")

    assert str(problem) == "safe.yaml:7: keyword is 'STOP'; choose another word"


def test_a_file_with_several_problems_reports_them_all() -> None:
    result = load_file("many_problems.yaml")

    assert not result.ok
    assert result.consultation is None
    assert len(result.errors) >= 10


def test_the_version_changes_when_the_text_changes() -> None:
    text = (DATA / "good.yaml").read_text(encoding="utf-8")

    assert consultation_version(text) == consultation_version(text)
    assert len(consultation_version(text)) == 12
    assert consultation_version(text) != consultation_version(text + "\n# edited\n")

"""Answers reach the answers table only in mixed, shuffled batches; results count them live."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.library import Library
from bot.runtime import Runtime
from bot.services import release
from conversations import results
from storage.models import Answer, PendingAnswer
from tests.integration.privacy_world import (
    FEELING_SAFE_QUIET,
    START,
    Person,
    clock,
    open_world,
)

WORDS = "the underpass by the station"


@pytest.fixture
def runtime(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime, _ = open_world(tmp_path, database_url, release_batch=5)
    yield runtime
    runtime.db.close()


def finish(runtime: Runtime, *names: str, text: str = WORDS) -> None:
    for name in names:
        Person.terminal(runtime, name).answer(FEELING_SAFE_QUIET, text)


def table_sizes(runtime: Runtime) -> tuple[int, int]:
    """(pending answers, released answers)."""
    with runtime.db.unit_of_work() as uow:
        pending = uow.session.scalar(select(func.count()).select_from(PendingAnswer))
        released = uow.session.scalar(select(func.count()).select_from(Answer))
    return int(pending or 0), int(released or 0)


def summary(runtime: Runtime) -> results.Results:
    with runtime.db.unit_of_work() as uow:
        library = Library()
        versions = [
            parsed
            for version in uow.consultations.versions("feeling-safe")
            if (parsed := library.version(uow, "feeling-safe", version)) is not None
        ]
        responses = uow.results.responses("feeling-safe")
        answers = uow.results.answers("feeling-safe")
    return results.summarise(versions, responses, answers, min_count=1, shuffle_seed=1)


def question(report: results.Results, question_id: str) -> results.QuestionResult:
    return next(q for q in report.questions if q.id == question_id)


def test_one_finished_response_is_never_released_alone(runtime: Runtime) -> None:
    finish(runtime, "ada")
    clock(runtime).set(START + timedelta(hours=5))

    assert release.release_due(runtime) == 0
    assert table_sizes(runtime)[1] == 0


def test_a_full_batch_is_released_at_once_and_a_smaller_one_only_after_an_hour(
    runtime: Runtime,
) -> None:
    finish(runtime, "a1", "a2")
    first = release.release_due(runtime)  # never released before: two make a batch
    assert first > 0
    assert table_sizes(runtime) == (0, first)

    clock(runtime).set(START + timedelta(minutes=10))
    finish(runtime, "b1", "b2", "b3", "b4")
    assert release.release_due(runtime) == 0  # four, within the hour: they wait
    finish(runtime, "b5")
    assert release.release_due(runtime) > 0  # five: the batch size

    clock(runtime).set(START + timedelta(minutes=30))
    finish(runtime, "c1", "c2")
    assert release.release_due(runtime) == 0
    clock(runtime).set(START + timedelta(minutes=71))
    assert release.release_due(runtime) > 0  # an hour since the last batch
    assert table_sizes(runtime)[0] == 0


def test_answers_still_being_given_are_never_released(runtime: Runtime) -> None:
    finish(runtime, "done-1", "done-2")
    halfway = Person.terminal(runtime, "halfway")
    for line in FEELING_SAFE_QUIET[:4]:
        halfway.say(line.replace("{text}", WORDS))

    _, answers = release.release_now(runtime)

    pending, released = table_sizes(runtime)
    assert released == answers
    assert pending == 2  # the halfway person's first two answers


def test_a_batch_goes_in_shuffled_order_under_new_ids_in_one_transaction(
    runtime: Runtime,
) -> None:
    names = [f"p{n}" for n in range(6)]
    finish(runtime, *names)
    with runtime.db.unit_of_work() as uow:
        pending_ids = set(uow.session.scalars(select(PendingAnswer.id)))

    count = release.release_due(runtime, random.Random(7))

    with runtime.db.unit_of_work() as uow:
        rows = uow.session.execute(select(Answer.id, Answer.respondent_key)).all()
        if runtime.db.dialect == "postgresql":
            xmins = set(uow.session.scalars(text("SELECT xmin::text FROM answers")))
            assert len(xmins) == 1  # one transaction: its id joins no row to another
    assert len(rows) == count
    assert not {row.id for row in rows} & pending_ids
    order = [row.respondent_key for row in rows]
    blocks = [key for n, key in enumerate(order) if n == 0 or order[n - 1] != key]
    assert len(blocks) > len(set(order))  # responses interleaved, not written one by one


def test_results_count_pending_answers_but_list_free_text_only_once_released(
    runtime: Runtime,
) -> None:
    finish(runtime, "r1", "r2", "r3", text=WORDS)

    live = question(summary(runtime), "why_unsafe")
    assert live.answered.value == 3  # officers see the round live
    assert live.answers == ()  # but no free text while it could single someone out
    assert summary(runtime).total.finished.value == 3

    release.release_now(runtime)

    released = question(summary(runtime), "why_unsafe")
    assert released.answered.value == 3
    assert released.answers == (WORDS, WORDS, WORDS)


def test_officer_release_takes_even_one_response(runtime: Runtime) -> None:
    finish(runtime, "last-one")

    responses, answers = release.release_now(runtime)

    assert responses == 1
    assert table_sizes(runtime) == (0, answers)

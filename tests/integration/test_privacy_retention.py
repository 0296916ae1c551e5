"""Retention: what the purge forgets, and when; DELETE within the window and after it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.runtime import Runtime
from bot.services import release, retention
from conversations.facts import Flagged
from conversations.messages import Channel
from storage.models import (
    Answer,
    Conversation,
    InboundMessage,
    OutboxMessage,
    Participant,
    PendingAnswer,
    Response,
    ReviewItem,
    Round,
    Subscription,
)
from storage.repositories.provider_messages import (
    Direction,
    ProviderMessage,
    ProviderMessagesRepository,
)
from tests.integration.privacy_world import (
    AFTER_WINDOW,
    CLOSES,
    FEELING_SAFE,
    FEELING_SAFE_QUIET,
    LAST_DAY,
    START,
    Person,
    clock,
    open_world,
    stored_tokens,
)

WORDS = "the lights on the high road are broken"
DISCLOSURE = "my stepdad hits me when he is drunk"


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[tuple[Runtime, dict[str, str]]]:
    runtime, rounds = open_world(tmp_path, database_url)
    yield runtime, rounds
    runtime.db.close()


@pytest.fixture
def runtime(world: tuple[Runtime, dict[str, str]]) -> Runtime:
    return world[0]


def count(runtime: Runtime, model: type, *where: object) -> int:
    with runtime.db.unit_of_work() as uow:
        statement = select(func.count()).select_from(model)
        for condition in where:
            statement = statement.where(condition)  # type: ignore[arg-type]
        return int(uow.session.scalar(statement) or 0)


def participant(runtime: Runtime, person: Person) -> Participant | None:
    with runtime.db.unit_of_work() as uow:
        return uow.session.get(Participant, person.pseudonym)


def statuses(runtime: Runtime) -> list[str]:
    with runtime.db.unit_of_work() as uow:
        return sorted(uow.session.scalars(select(Response.status)))


def answers_total(runtime: Runtime) -> int:
    return count(runtime, PendingAnswer) + count(runtime, Answer)


def at(runtime: Runtime, when: object) -> retention.PurgeCounts:
    clock(runtime).set(when)  # type: ignore[arg-type]
    return retention.purge(runtime)


# --- conversations and addresses -----------------------------------------------------------


def test_an_idle_conversation_expires_after_7_days_as_partial_keeping_its_answers(
    runtime: Runtime,
) -> None:
    person = Person.sms(runtime, "+447700900201")
    for line in FEELING_SAFE[:4]:
        person.say(line.replace("{text}", WORDS))
    before = answers_total(runtime)
    assert participant(runtime, person).address_enc is not None  # type: ignore[union-attr]

    assert at(runtime, START + timedelta(days=6)).conversations_expired == 0
    counts = at(runtime, START + timedelta(days=7, minutes=1))

    assert counts.conversations_expired == 1
    assert statuses(runtime) == ["partial"]
    assert answers_total(runtime) == before == 2
    assert count(runtime, Conversation) == 0
    assert participant(runtime, person).address_enc is None  # type: ignore[union-attr]


def test_conversations_expire_when_their_round_is_closed_early(
    world: tuple[Runtime, dict[str, str]],
) -> None:
    runtime, rounds = world
    person = Person.sms(runtime, "+447700900202")
    for line in FEELING_SAFE[:3]:
        person.say(line)
    clock(runtime).set(START + timedelta(hours=2))
    with runtime.db.unit_of_work() as uow:
        uow.rounds.close(rounds["feeling-safe"], START + timedelta(hours=1))

    counts = retention.purge(runtime)

    assert counts.conversations_expired == 1
    assert statuses(runtime) == ["partial"]
    assert participant(runtime, person).address_enc is None  # type: ignore[union-attr]


def test_closing_a_round_early_keeps_the_withdrawal_window_the_consent_promised(
    world: tuple[Runtime, dict[str, str]],
) -> None:
    runtime, rounds = world
    round_id = rounds["feeling-safe"]
    with runtime.db.unit_of_work() as uow:
        uow.rounds.close(round_id, START + timedelta(hours=1))

    # 14 days after the early close, but before the promised last day: still withdrawable.
    early_window_end = START + timedelta(hours=1, days=15)
    assert early_window_end < LAST_DAY
    assert round_id not in retention.rounds_past_window(runtime, early_window_end)
    assert round_id in retention.rounds_past_window(runtime, AFTER_WINDOW)


def test_the_address_stays_exactly_while_updates_are_wanted(runtime: Runtime) -> None:
    wants_news = Person.sms(runtime, "+447700900203")
    passer_by = Person.sms(runtime, "+447700900204")
    wants_news.answer(FEELING_SAFE, WORDS)
    passer_by.say("hello")  # the welcome; no conversation
    with runtime.db.unit_of_work() as uow:  # an address left behind by some older code path
        uow.participants.set_address(passer_by.pseudonym, passer_by.address.namespaced)

    counts = at(runtime, START + timedelta(hours=1))
    at(runtime, CLOSES + timedelta(days=1))

    assert counts.addresses_cleared == 1
    with runtime.db.unit_of_work() as uow:
        assert uow.participants.get_address(wants_news.pseudonym) == "tel:+447700900203"
        assert uow.participants.get_address(passer_by.pseudonym) is None


# --- provider ids and stored replies -----------------------------------------------------


def test_message_ids_and_stored_replies_go_after_a_day(runtime: Runtime) -> None:
    person = Person.sms(runtime, "+447700900205")
    person.say("SAFE")
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        repo = ProviderMessagesRepository(uow.session)
        repo.schedule_erasure("SM" + "a" * 32, Direction.INBOUND, START)  # still to delete
        repo.record_status("SM" + "b" * 32, "delivered", None)
        repo.schedule_erasure("SM" + "c" * 32, Direction.OUTBOUND, START)
        repo.erased("SM" + "c" * 32)  # Twilio's copy is gone
    assert count(runtime, InboundMessage) == 1
    assert count(runtime, OutboxMessage) > 0

    half_a_day = at(runtime, START + timedelta(hours=12))
    assert half_a_day.inbound_forgotten == half_a_day.replies_forgotten == 0
    counts = at(runtime, START + timedelta(days=1, minutes=1))

    assert counts.inbound_forgotten == 1
    assert counts.replies_forgotten > 0
    assert count(runtime, InboundMessage) == 0
    assert count(runtime, OutboxMessage) == 0
    with runtime.db.unit_of_work() as uow:
        left = set(uow.session.scalars(select(ProviderMessage.sid)))
    assert left == {"SM" + "a" * 32}  # its copy at Twilio still has to be deleted


# --- the withdrawal window --------------------------------------------------------------


def test_delete_within_the_window_erases_answers_flagged_text_address_and_all(
    world: tuple[Runtime, dict[str, str]],
) -> None:
    runtime, rounds = world
    person = Person.sms(runtime, "+447700900206")
    other = Person.sms(runtime, "+447700900207")
    person.answer(FEELING_SAFE, DISCLOSURE)
    other.answer(FEELING_SAFE_QUIET, WORDS)
    release.release_now(runtime)  # some answers released, so both tables are checked
    person.say("SAFE")  # "already taken part": still in the round
    assert count(runtime, ReviewItem) == 1
    assert count(runtime, Subscription) == 1
    kept = count(runtime, Answer, Answer.respondent_key != _key(runtime, person, rounds))

    clock(runtime).set(LAST_DAY)
    at(runtime, LAST_DAY)  # the window is still open on its last day
    reply = person.say("DELETE")

    assert len(reply.splitlines()) == 1
    assert "deleted" in reply.lower()
    assert count(runtime, ReviewItem) == 0
    assert count(runtime, Subscription) == 0
    assert count(runtime, Conversation, Conversation.pseudonym == person.pseudonym) == 0
    assert count(runtime, Answer) == kept  # only the other person's answers are left
    assert count(runtime, Response) == 1
    with runtime.db.unit_of_work() as uow:
        assert uow.participants.get_address(person.pseudonym) is None
        assert uow.participants.get_state(person.pseudonym) is None


def test_after_the_window_nobody_can_find_the_answers_again(
    world: tuple[Runtime, dict[str, str]],
) -> None:
    runtime, rounds = world
    people = [Person.sms(runtime, f"+4477009003{n:02d}") for n in range(4)]
    for person in people:
        person.answer(FEELING_SAFE_QUIET, DISCLOSURE if person is people[0] else WORDS)
    tokens = {p.pseudonym: p.tokens()[rounds["feeling-safe"]] for p in people}
    old_keys = {runtime.keys.respondent_key(token) for token in tokens.values()}
    with runtime.db.unit_of_work() as uow:
        before = sorted(
            (row.question_id, str(row.value)) for row in uow.results.answers("feeling-safe")
        )

    assert at(runtime, LAST_DAY).rounds_unlinked == 0
    counts = at(runtime, AFTER_WINDOW)

    assert counts.rounds_unlinked >= 1
    assert counts.tokens_dropped == 4
    assert counts.responses_rekeyed == 4
    assert not set(tokens.values()) & stored_tokens(runtime)
    with runtime.db.unit_of_work() as uow:
        after = sorted(
            (row.question_id, str(row.value)) for row in uow.results.answers("feeling-safe")
        )
        keys = set(uow.session.scalars(select(Response.respondent_key)))
        assert uow.session.get(Round, rounds["feeling-safe"]).unlinked  # type: ignore[union-attr]
        assert uow.session.scalars(select(ReviewItem.respondent_key)).all() == [None]
    assert after == before  # the answers are all there, only anonymous now
    assert not keys & old_keys
    assert count(runtime, PendingAnswer) == 0
    assert count(runtime, Conversation) == 0

    reply = people[0].say("DELETE")
    assert "deleted" in reply.lower()
    assert count(runtime, Response) == 4  # DELETE can no longer find them
    assert count(runtime, ReviewItem) == 1


def test_the_window_ends_with_the_last_local_day_the_consent_names(runtime: Runtime) -> None:
    ends = retention.window_end(CLOSES, 14, runtime.settings.zone)

    assert ends.astimezone(runtime.settings.zone).isoformat() == "2026-03-24T00:00:00+00:00"
    summer = retention.window_end(CLOSES + timedelta(days=60), 14, runtime.settings.zone)
    assert summer.astimezone(runtime.settings.zone).hour == 0
    assert summer.utcoffset() == timedelta(hours=1)  # British Summer Time


def test_on_postgresql_unlinked_rows_share_one_transaction_id(
    tmp_path: Path, postgres_url: str
) -> None:
    runtime, _ = open_world(tmp_path, postgres_url)
    people = [Person.sms(runtime, f"+4477009004{n:02d}") for n in range(3)]
    for person in people:
        person.answer(FEELING_SAFE, WORDS)

    at(runtime, AFTER_WINDOW)

    with runtime.db.unit_of_work() as uow:
        answer_xmins = set(uow.session.scalars(text("SELECT xmin::text FROM answers")))
        response_xmins = set(uow.session.scalars(text("SELECT xmin::text FROM responses")))
        people_xmins = set(
            uow.session.scalars(
                text(
                    "SELECT xmin::text FROM participants UNION SELECT xmin::text FROM subscriptions"
                )
            )
        )
    runtime.db.close()
    assert len(answer_xmins) == 1
    assert answer_xmins == response_xmins
    assert not answer_xmins & people_xmins


# --- participants -------------------------------------------------------------------------


def test_a_participant_with_nothing_left_to_keep_is_forgotten(runtime: Runtime) -> None:
    quiet = Person.sms(runtime, "+447700900501")
    news = Person.sms(runtime, "+447700900502")
    stopped = Person.sms(runtime, "+447700900503")
    quiet.answer(FEELING_SAFE_QUIET, WORDS)
    news.answer(FEELING_SAFE, WORDS)
    stopped.say("SAFE")
    stopped.say("STOP")

    during = at(runtime, CLOSES + timedelta(days=3))
    assert during.participants_forgotten == 0  # answers still withdrawable: kept
    at(runtime, AFTER_WINDOW)

    assert participant(runtime, quiet) is None
    assert participant(runtime, news) is not None  # wants updates
    assert participant(runtime, stopped) is not None  # STOP must be remembered
    assert count(runtime, Response) == 2


def test_after_delete_the_pseudonym_itself_goes_at_the_next_purge(runtime: Runtime) -> None:
    person = Person.sms(runtime, "+447700900601")
    person.answer(FEELING_SAFE, WORDS)
    person.say("DELETE")

    counts = at(runtime, START + timedelta(days=1, hours=1))

    assert counts.participants_forgotten == 1
    assert participant(runtime, person) is None
    with runtime.db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_second_purge_finds_nothing_more_to_do(runtime: Runtime) -> None:
    Person.sms(runtime, "+447700900701").answer(FEELING_SAFE, WORDS)
    Person.telegram(runtime, 5550001234).answer(FEELING_SAFE_QUIET, WORDS)
    at(runtime, AFTER_WINDOW)

    again = retention.purge(runtime)

    assert [n for _, n in again.lines()] == [0] * len(again.lines())
    assert again.compacted


def test_flagged_text_without_a_token_is_linked_to_the_conversation_in_hand(
    world: tuple[Runtime, dict[str, str]],
) -> None:
    runtime, rounds = world
    person = Person.sms(runtime, "+447700900801")
    for line in FEELING_SAFE[:3]:
        person.say(line)
    round_id = rounds["feeling-safe"]
    with runtime.db.unit_of_work() as uow:
        uow.lock_participant(person.pseudonym)
        flag = Flagged("violence", "[address] again", "feeling-safe", round_id)
        uow.decisions.record_facts([flag], Channel.SMS, person.pseudonym, START)

    person.say("DELETE")

    assert count(runtime, ReviewItem) == 0


def _key(runtime: Runtime, person: Person, rounds: dict[str, str]) -> str:
    return runtime.keys.respondent_key(person.tokens()[rounds["feeling-safe"]])

"""Consultations built in Python, the real message catalogue, and a chat driver for engine tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from conversations.catalogue import Catalogue
from conversations.engine import Decision, OpenRound, World, begin, handle, welcome
from conversations.facts import Fact
from conversations.messages import Channel, Inbound, Outgoing
from conversations.model import Choice, Consultation, Question, QuestionType, UpdatesScope
from conversations.state import ConversationState, ParticipantState

T = TypeVar("T")

LOCALES = Path(__file__).resolve().parents[4] / "config" / "locales"
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 7, 16, 17, 0, tzinfo=UTC)


def load_catalogue() -> Catalogue:
    return Catalogue.from_po({p.stem: p.read_text(encoding="utf-8") for p in LOCALES.glob("*.po")})


CATALOGUE = load_catalogue()


def text(en: str, pl: str | None = None) -> dict[str, str]:
    return {"en": en, "pl": pl if pl is not None else f"[pl] {en}"}


FEELING_SAFE = Consultation(
    id="feeling-safe",
    title="Feeling safe in your area",
    languages=("en", "pl"),
    keyword="SAFE",
    listed=True,
    withdrawal_days=14,
    intro=text(
        "Hi, this is the Safer Streets team. 4 quick questions, anonymous. Reply YES to start.",
        "Cześć, tu zespół Bezpieczne Ulice. 4 krótkie pytania, anonimowo. Napisz TAK, by zacząć.",
    ),
    closing=text(
        "Thank you. Your answers help decide what we do next.",
        "Dziękujemy. Twoje odpowiedzi pomogą zdecydować, co zrobimy dalej.",
    ),
    questions=(
        Question(
            id="safe_after_dark",
            type=QuestionType.CHOICE,
            text=text(
                "How safe do you feel in your area after dark?",
                "Jak bezpiecznie czujesz się w okolicy po zmroku?",
            ),
            optional=False,
            choices=(
                Choice("very", text("Very safe", "Bardzo bezpiecznie")),
                Choice("fairly", text("Fairly safe", "Raczej bezpiecznie")),
                Choice("unsafe", text("Not safe", "Niebezpiecznie")),
            ),
        ),
        Question(
            id="why_unsafe",
            type=QuestionType.TEXT,
            text=text("What makes you feel unsafe?", "Co sprawia, że czujesz się niebezpiecznie?"),
            when="safe_after_dark == unsafe",
        ),
        Question(
            id="how_safe_school",
            type=QuestionType.SCALE,
            text=text("How safe do you feel at school, 1 to 5?", "Jak bezpiecznie w szkole, 1-5?"),
            min=1,
            max=5,
            labels={1: text("Not at all", "Wcale"), 5: text("Completely", "Całkowicie")},
        ),
        Question(
            id="hear_back",
            type=QuestionType.UPDATES,
            text=text(
                "Can we message you later to say what we did?", "Czy możemy napisać później?"
            ),
        ),
        Question(
            id="future",
            type=QuestionType.UPDATES,
            scope=UpdatesScope.FUTURE,
            text=text("Can we invite you to future questions?", "Czy możemy zaprosić Cię znowu?"),
        ),
    ),
    version="v1",
)

HEARD = Consultation(
    id="support-heard",
    title="The support you got",
    languages=("en",),
    keyword="HEARD",
    listed=False,
    withdrawal_days=30,
    intro={"en": "Hi. A few questions about the support you got. Skip any. Reply YES to start."},
    closing={"en": "Thank you for telling us."},
    questions=(
        Question(
            id="helped",
            type=QuestionType.YESNO,
            text={"en": "Did the support help you?"},
        ),
        Question(id="anything_else", type=QuestionType.TEXT, text={"en": "Anything else?"}),
    ),
    version="h1",
)

KINDS = Consultation(
    id="kinds",
    title="Every kind of question",
    languages=("en",),
    keyword="KINDS",
    listed=True,
    withdrawal_days=7,
    intro={"en": "Testing every kind of question. Reply YES to start."},
    closing={"en": "All done."},
    questions=(
        Question(
            id="places",
            type=QuestionType.MULTI,
            text={"en": "Where do you feel unsafe?"},
            choices=(
                Choice("park", {"en": "The park"}),
                Choice("bus", {"en": "On the bus"}),
                Choice("street", {"en": "My street"}),
            ),
        ),
        Question(
            id="age", type=QuestionType.NUMBER, text={"en": "How old are you?"}, min=10, max=25
        ),
        Question(id="told", type=QuestionType.YESNO, text={"en": "Have you told anyone?"}),
    ),
    version="k1",
)


def open_round(
    consultation: Consultation = FEELING_SAFE,
    *,
    round_id: str | None = None,
    closes_at: datetime | None = CLOSES,
) -> OpenRound:
    return OpenRound(
        round_id=round_id or f"{consultation.id}-r1",
        consultation=consultation,
        keyword=consultation.keyword,
        closes_at=closes_at,
    )


def make_world(
    *rounds: OpenRound,
    now: datetime = NOW,
    token: str = "token-1",
    preview: bool = False,
    **extra: object,
) -> World:
    if not rounds:
        rounds = (open_round(FEELING_SAFE), open_round(HEARD), open_round(KINDS))
    return World(
        now=now,
        open_rounds=rounds,
        catalogue=CATALOGUE,
        new_token=token,
        preview=preview,
        **extra,  # type: ignore[arg-type]
    )


def sms(message: str, *, has_media: bool = False) -> Inbound:
    return Inbound(channel=Channel.SMS, text=message, has_media=has_media)


def tap(data: str) -> Inbound:
    return Inbound(channel=Channel.TELEGRAM, text="", button=data)


@dataclass
class Chat:
    """One participant texting the engine: keeps the state between messages, like storage."""

    world: World = field(default_factory=make_world)
    participant: ParticipantState = field(default_factory=ParticipantState)
    conversation: ConversationState | None = None
    last: Decision | None = None
    all_facts: list[Fact] = field(default_factory=list)
    sent: int = 0

    def send(self, message: str, *, has_media: bool = False) -> list[str]:
        """Send one text; return the texts of the replies."""
        return self.receive(sms(message, has_media=has_media))

    def press(self, data: str) -> list[str]:
        return self.receive(tap(data))

    def receive(self, inbound: Inbound) -> list[str]:
        self.sent += 1
        world = replace(self.world, new_token=f"token-{self.sent}")
        return self._apply(handle(self.participant, self.conversation, inbound, world))

    def open(self) -> list[str]:
        """What `yousaid chat` shows first: the welcome."""
        return self._apply(welcome(self.participant, self.world))

    def begin(self, round_: OpenRound) -> list[str]:
        self.sent += 1
        world = replace(self.world, new_token=f"token-{self.sent}")
        return self._apply(begin(self.participant, round_, sms(""), world))

    def later(self, delta: timedelta) -> None:
        self.world = replace(self.world, now=self.world.now + delta)

    @property
    def replies(self) -> tuple[Outgoing, ...]:
        assert self.last is not None
        return self.last.replies

    @property
    def facts(self) -> tuple[Fact, ...]:
        assert self.last is not None
        return self.last.facts

    @property
    def text(self) -> str:
        """Every reply of the last message, as one text."""
        return "\n\n".join(r.text for r in self.replies)

    def _apply(self, decision: Decision) -> list[str]:
        self.last = decision
        self.participant = decision.participant
        self.conversation = decision.conversation
        self.all_facts.extend(decision.facts)
        return [r.text for r in decision.replies]


def facts_of(facts: tuple[Fact, ...] | list[Fact], kind: type[T]) -> list[T]:
    return [f for f in facts if isinstance(f, kind)]

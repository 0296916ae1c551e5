"""The consultation model: what an officer wrote, validated, as frozen dataclasses.

The loader (`conversations.consultation_file`) turns YAML text into these; the engine
only reads them.
Every user-facing text is a `Text`: a mapping from language code to the words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

Text = Mapping[str, str]
"""Language code (``en``, ``pl``) to text. Every language the consultation lists is present."""


class QuestionType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    YESNO = "yesno"
    NUMBER = "number"
    UPDATES = "updates"


class UpdatesScope(StrEnum):
    THIS = "this"  # "you said, we did" updates about this consultation
    FUTURE = "future"  # invitations to later consultations


@dataclass(frozen=True)
class Choice:
    id: str
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: Text
    optional: bool = True
    choices: tuple[Choice, ...] = ()
    min: int | None = None  # scale and number
    max: int | None = None
    labels: Mapping[int, Text] = field(default_factory=dict)  # scale point -> label
    when: str | None = None  # the source of the condition; parsed by conversations.conditions
    scope: UpdatesScope = UpdatesScope.THIS  # updates only


@dataclass(frozen=True)
class Consultation:
    id: str
    title: str
    languages: tuple[str, ...]  # the first is the default
    keyword: str  # upper-case
    listed: bool
    withdrawal_days: int
    intro: Text
    closing: Text
    questions: tuple[Question, ...]
    version: str = ""  # a digest of the source, set by the loader
    public: bool = False  # true: its page /c/<id> shows what was asked, results and updates

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

"""Adding consultations: a checked file becomes a stored version (a changed file is a new
one), optionally with a round open from now. Checking a file is the job of
`conversations.consultation_file`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.runtime import Runtime
from conversations.model import Consultation
from storage.repositories.audit import detail_of
from storage.repositories.consultations import StoredConsultation

__all__ = ["Checked", "LoadRefused", "Loaded", "load", "source_of"]


class LoadRefused(Exception):
    """Nothing was loaded; `problems` says why, one line each, naming the file."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("nothing was loaded; fix the problems above and load again")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Checked:
    """A consultation file that passed its checks: where it came from, its text, and what
    it says."""

    source: str
    text: str
    consultation: Consultation


@dataclass(frozen=True)
class Loaded:
    consultation: Consultation
    new_version: bool  # False: the same text was loaded before
    opened_round: str | None  # the round opened now, if asked and none was open
    open_round: str | None  # the round that was already open, if asked and there was one


def load(runtime: Runtime, files: Sequence[Checked], *, open_round: bool = False) -> list[Loaded]:
    """Store every file, all or none: two files (or a file and a stored consultation) with
    one id or one keyword refuse the lot, since the loader sees one file at a time. With
    `open_round`, each consultation without an open round gets one from now, with no end."""
    now = runtime.clock.now()
    done = []
    with runtime.db.unit_of_work() as uow:
        clashes = _clashes(files, uow.consultations.all_latest())
        if clashes:
            raise LoadRefused(clashes)
        for checked in files:
            consultation = checked.consultation
            new = uow.consultations.save(consultation, checked.text, now)
            opened = already = None
            if open_round:
                existing = [
                    r for r in uow.rounds.open_rounds(now) if r.consultation_id == consultation.id
                ]
                if existing:
                    already = existing[0].round_id
                else:
                    opened = uow.rounds.open_now(consultation.id, now)
            uow.audit.record(
                "consultation.load",
                detail_of(
                    consultation=consultation.id,
                    version=consultation.version,
                    new="yes" if new else "no",
                    opened_round=opened,
                ),
                now,
            )
            done.append(Loaded(consultation, new, opened, already))
    return done


def source_of(runtime: Runtime, consultation_id: str) -> StoredConsultation | None:
    """The latest stored version of a consultation, with its file's text."""
    with runtime.db.unit_of_work() as uow:
        return uow.consultations.latest(consultation_id)


def _clashes(files: Sequence[Checked], stored: Sequence[StoredConsultation]) -> list[str]:
    problems = []
    ids: dict[str, str] = {}
    keywords: dict[str, str] = {s.keyword.upper(): s.id for s in stored}
    for checked in files:
        consultation = checked.consultation
        if consultation.id in ids:
            problems.append(
                f"{checked.source}: the id {consultation.id!r} is also used by "
                f"{ids[consultation.id]}; give each consultation its own id"
            )
        ids[consultation.id] = checked.source
        owner = keywords.get(consultation.keyword)
        if owner is not None and owner != consultation.id:
            problems.append(
                f"{checked.source}: the keyword {consultation.keyword} already starts {owner!r}; "
                "choose another keyword"
            )
        keywords[consultation.keyword] = consultation.id
    return problems

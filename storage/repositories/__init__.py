"""Repositories: one per job, each bound to the session of one unit of work."""

from storage.repositories.consultations import ConsultationsRepository, StoredConsultation
from storage.repositories.conversations import ConversationsRepository
from storage.repositories.inbound import InboundRepository
from storage.repositories.outbox import OutboxItem, OutboxRepository
from storage.repositories.participants import ParticipantsRepository
from storage.repositories.results import ResultsRepository
from storage.repositories.reviews import ReviewRepository, ReviewRow
from storage.repositories.round_rows import OpenRoundRow, RoundRow, RoundStatus
from storage.repositories.rounds import RoundsRepository

__all__ = [
    "ConsultationsRepository",
    "ConversationsRepository",
    "InboundRepository",
    "OpenRoundRow",
    "OutboxItem",
    "OutboxRepository",
    "ParticipantsRepository",
    "ResultsRepository",
    "ReviewRepository",
    "ReviewRow",
    "RoundRow",
    "RoundStatus",
    "RoundsRepository",
    "StoredConsultation",
]

"""The audit log: what officers did and when (results exported, updates sent, purges...).

It records actions, never people: `detail` holds only facts that are not personal (a
consultation id, a round id, an update id, counts, a format). No address, message text,
token or review text is ever written here, so the log may be kept and shown freely.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ID, NAME, Base, UTCDateTime

EMAIL = 254

__all__ = ["AuditEntry"]


class AuditEntry(Base):
    """One officer action: a random id, when (UTC), a short action name, plain detail."""

    __tablename__ = "audit_log"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(NAME))  # results.export, keys.rotate, ...
    detail: Mapped[str] = mapped_column(Text)
    # Who: an officer's console account (their e-mail), `cli:<system user>` for a command,
    # or `system` for the scheduler's own jobs.
    actor: Mapped[str] = mapped_column(String(EMAIL), server_default="system")

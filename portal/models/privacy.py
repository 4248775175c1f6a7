"""People's data under the Privacy Act: their downloads (APP 12) and their correction requests (APP 13)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base
from portal.models.users import Agency, User
from workflows import clock

CORRECTION_SUBJECTS = {
    "email": "My e-mail address",
    "contractor": "Whether I am a contractor",
    "record": "Something recorded on an application, arrangement or certificate",
    "other": "Something else the portal holds about me",
}


class DataExport(Base):
    """A ZIP of everything the portal holds about one person: downloadable once, by them, for a day."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # read only when downloaded
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    ready_at: Mapped[datetime | None]
    downloaded_at: Mapped[datetime | None]


class CorrectionRequest(Base):
    """A person asks an admin of their agency to correct what they cannot edit themselves."""

    __tablename__ = "correction_requests"
    __table_args__ = (Index("ix_correction_requests_agency_state", "agency_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    subject: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    version: Mapped[int] = mapped_column(default=1)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    agency: Mapped[Agency | None] = relationship()

    @property
    def subject_label(self) -> str:
        return CORRECTION_SUBJECTS.get(self.subject, self.subject)

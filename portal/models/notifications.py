"""What people are told in the portal, and how they want to be told by e-mail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base
from workflows import clock

# category: (label shown on the settings page, can it be switched off?)
CATEGORIES: dict[str, tuple[str, bool]] = {
    "my_opportunities": ("Opportunities I own", True),
    "my_applications": ("My applications", True),
    "my_questions": ("Answers to questions I asked", True),
    "approvals": ("Approvals I must give", False),
    "digests": ("Opportunities that match my skills and saved searches", True),
    "announcements": ("Announcements from the oneAPS team", True),
}
MODES = {"now": "E-mail me straight away", "digest": "Once a day, in one e-mail", "off": "Do not e-mail me"}


class NotificationPreference(Base):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(30))
    mode: Mapped[str] = mapped_column(String(10), default="now")


class Notification(Base):
    """One in-app notice: the same events as the e-mails, shown under the bell."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    read_at: Mapped[datetime | None]


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    ends_at: Mapped[datetime | None]


class AnnouncementDismissal(Base):
    __tablename__ = "announcement_dismissals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)

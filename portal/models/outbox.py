"""Outbox: side effects written in the same transaction as their cause, delivered after commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base
from workflows import clock


EMAIL = "email"
JOB = "job"


class OutboxMessage(Base):
    """One side effect to carry out after commit: an e-mail (`template` to `recipient`) or a job (`template`
    names the work, there is no recipient)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_created", "status", "created_at"),
                      CheckConstraint("kind IN ('email', 'job')", name="kind"),
                      CheckConstraint("(kind = 'job') = (recipient IS NULL)", name="recipient_for_email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=EMAIL, server_default=EMAIL)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    template: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(30), default="general")
    recipient: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(120))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed, bounced (refused for good)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    last_attempt_at: Mapped[datetime | None]
    relayed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    request_id: Mapped[str | None] = mapped_column(String(64))  # the web request or task that queued it


class UsedToken(Base):
    """Signed links are single-use: the digest of a link's purpose and nonce (never of its text) lands here
    when it is acted on."""

    __tablename__ = "used_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime] = mapped_column(default=clock.utcnow)


class ReminderSent(Base):
    """Which reminder went out for which record, so a sweep run twice sends nothing twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("kind", "record_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    step: Mapped[int] = mapped_column(default=1)
    sent_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

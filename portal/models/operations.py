"""What the background machinery last did: each sweep's last run, and the worker and beat heartbeats."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base


class BackgroundStatus(Base):
    """One row per sweep ("sweep", name) or process kind ("heartbeat", "worker" / "beat"). A run claims its
    sweep's row by setting `running_since` (committed, so every process sees it), so beat and "run now" never
    run the same sweep at once; a claim older than an hour is taken to be a crashed run."""

    __tablename__ = "background_status"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # sweep or heartbeat
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_duration_ms: Mapped[int | None]
    last_items: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(default=0)
    running_since: Mapped[datetime | None]

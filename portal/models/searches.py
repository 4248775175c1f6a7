"""Searches people keep, by name, and whether they want new results e-mailed to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base
from workflows import clock

MAX_SAVED_SEARCHES = 10


class SavedSearch(Base):
    """The search page's filters as its canonical query string, so running one is a link to that page."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000))
    alert: Mapped[bool] = mapped_column(default=False)
    # Opportunities approved after this are new to the search: moved on when the alert is switched on
    # and each time an alert e-mail is queued.
    new_since: Mapped[datetime] = mapped_column(default=clock.utcnow)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

"""The one clock the whole system reads, so tests can move time instead of sleeping."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

CANBERRA = ZoneInfo("Australia/Canberra")

_offset = timedelta(0)
_frozen: datetime | None = None


def utcnow() -> datetime:
    """Aware UTC now, shifted or frozen by tests."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc) + _offset


def canberra_today() -> date:
    return canberra_date(utcnow())


def canberra_date(moment: datetime) -> date:
    """The day it was in Canberra at `moment` (aware): the date every page, e-mail and document shows."""
    return moment.astimezone(CANBERRA).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Pin the clock at one instant (aware) for the body of a with block."""
    global _frozen
    previous, _frozen = _frozen, moment.astimezone(timezone.utc)
    try:
        yield
    finally:
        _frozen = previous


@contextmanager
def moved_by(delta: timedelta) -> Iterator[None]:
    """Run the body as if `delta` had already passed."""
    global _offset
    previous, _offset = _offset, _offset + delta
    try:
        yield
    finally:
        _offset = previous

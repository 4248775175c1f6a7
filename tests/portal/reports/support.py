"""Helpers for the report tests: CSV bodies read back as rows, times in UTC."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def csv_rows(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


RANGE = {"from_date": "2026-01-01", "to_date": "2026-12-31"}

"""The share of a working week a participation takes: bands, hours a week and the 20 % total."""
from __future__ import annotations

from datetime import date

import pytest

from workflows import time_share

FOUR_WEEKS = (date(2026, 3, 2), date(2026, 3, 29))


def test_the_band_follows_total_hours_then_time_per_week():
    assert time_share.band("total_hours", 8, *FOUR_WEEKS) == "up_to_10h"
    assert time_share.band("hours_per_week", 7, *FOUR_WEEKS) == "up_to_1_day"
    assert time_share.band("percent", 20, *FOUR_WEEKS) == "up_to_1_day"
    assert time_share.band("percent", 40, *FOUR_WEEKS) == "over_1_day"
    assert time_share.band("total_hours", 60, *FOUR_WEEKS) == "over_1_day"
    assert time_share.band("percent", None, *FOUR_WEEKS) is None


@pytest.mark.parametrize("kind, amount, expected_hours", [
    ("hours_per_week", 15, 15.0),
    ("percent", 20, 7.5),
    ("total_hours", 40, 10.0),  # 40 hours over exactly four weeks
])
def test_hours_a_week_and_share_of_a_37_and_a_half_hour_week(kind, amount, expected_hours):
    assert time_share.hours_a_week(kind, amount, *FOUR_WEEKS) == pytest.approx(expected_hours)
    assert time_share.share_of_week(kind, amount, *FOUR_WEEKS) == pytest.approx(expected_hours / 37.5)


def test_a_total_without_dates_counts_as_one_week():
    assert time_share.hours_a_week("total_hours", 10, None, None) == 10.0
    assert time_share.share_of_week("percent", None, None, None) == 0.0


def test_the_manager_agrees_explicitly_only_above_twenty_percent_in_all():
    assert not time_share.needs_agreement_to_total([0.10, 0.10])
    assert time_share.needs_agreement_to_total([0.10, 0.10, 0.01])
    assert time_share.needs_agreement_to_total([0.25])
    assert time_share.as_percent(0.2) == "20 %" and time_share.as_percent(0.075) == "7.5 %"

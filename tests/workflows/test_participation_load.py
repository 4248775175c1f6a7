"""Time share: hours a week, a percentage or hours in total, as a share of a 37.5-hour week; above 20 % in all
the approver must agree to the total."""
from __future__ import annotations

from datetime import date

import pytest

from workflows import participation_load as load
from workflows.machine import TransitionRefused


@pytest.mark.parametrize(("kind", "amount", "start", "end", "share"), [
    ("hours_per_week", 7, None, None, 7 / 37.5),
    ("hours_per_week", 15, None, None, 0.4),
    ("percent", 20, None, None, 0.2),
    ("total_hours", 75, date(2026, 3, 2), date(2026, 3, 29), 75 / 4 / 37.5),  # four weeks
    ("total_hours", 6, None, None, 6 / 37.5),  # no dates: one week
])
def test_a_commitment_is_a_share_of_a_37_5_hour_week(kind, amount, start, end, share):
    assert load.share_of_week(kind, amount, start, end) == pytest.approx(share)


def test_a_commitment_not_stated_has_no_share_and_adds_nothing():
    assert load.share_of_week("hours_per_week", None, None, None) is None
    assert load.total_share([None, 0.1]) == pytest.approx(0.1)


def test_exactly_20_percent_needs_no_agreement_and_a_little_more_does():
    assert not load.needs_agreement(0.2)
    assert not load.needs_agreement(7.5 / 37.5)
    assert load.needs_agreement(0.2 + 1 / 375)


def test_approving_above_the_limit_without_agreeing_is_refused_beside_the_tick_box():
    with pytest.raises(TransitionRefused) as refused:
        load.check_agreed(0.3, agreed=False)

    assert refused.value.status == 422 and refused.value.field == "agree_total" and "30 %" in refused.value.message
    load.check_agreed(0.3, agreed=True)
    load.check_agreed(0.15, agreed=False)


def test_shares_read_as_percentages():
    assert load.percent(0.2) == "20 %" and load.percent(4 / 37.5) == "10.7 %" and load.percent(None) == "not stated"

"""The application transition table, walked row by row, and its invariants under random moves."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows import Actor, Effect, Job, TransitionRefused, fire
from workflows.application import LIVE, MACHINE, STATES, TERMINAL, next_step

ROLES = ("applicant", "host", "home_manager", "agency_admin", "site_admin", "system")


class Notes:
    """A recorder that keeps what fire asked it to write."""

    def __init__(self) -> None:
        self.audits: list[tuple[str, str, str]] = []
        self.effects: list[tuple[str, str | None]] = []

    def audit(self, record, transition, actor, from_state, reason, at, data) -> None:
        self.audits.append((transition.name, from_state, record.state))

    def effect(self, record, transition, effect, actor, reason, data) -> None:
        self.effects.append((effect.template, effect.to) if isinstance(effect, Effect) else (effect.name, None))


def record(state: str, start_date=None, end_date=None) -> SimpleNamespace:
    """An application whose opportunity has the given dates (none: it may be completed any day)."""
    return SimpleNamespace(state=state, version=1, id=1,
                           opportunity=SimpleNamespace(start_date=start_date, end_date=end_date))


ROWS = [(t.name, source, role) for t in MACHINE.transitions.values() for source in sorted(STATES) for role in ROLES]


@pytest.mark.parametrize("name,source,role", ROWS)
def test_every_move_is_allowed_exactly_where_the_table_says(name, source, role):
    transition = MACHINE.transitions[name]
    application, notes = record(source), Notes()
    allowed = source in transition.sources and role in transition.roles
    try:
        fire(MACHINE, application, name, Actor(frozenset({role})), notes, data={"positions_open": 1})
    except TransitionRefused as refused:
        assert not allowed
        assert refused.status == (403 if role not in transition.roles else 409)
        assert application.state == source and application.version == 1 and notes.audits == []
    else:
        assert allowed
        assert application.state == transition.target and application.version == 2
        assert notes.audits == [(name, source, transition.target)]
        assert len(notes.effects) == len(transition.effects)


# Every side effect of a move, as the design says: e-mails to named parties, paperwork as background jobs.
SIDE_EFFECTS = {
    "request_manager_approval": {Effect("application_selected", "applicant"),
                                 Effect("home_manager_request", "home_manager")},
    "approve": {Effect("application_confirmed", "applicant"), Effect("application_confirmed", "host"),
                Job("render-arrangement")},
    "complete": {Effect("application_completed", "applicant"), Effect("feedback_request", "host"),
                 Job("render-certificate")},
}


@pytest.mark.parametrize("name", sorted(SIDE_EFFECTS))
def test_each_side_effect_of_a_move_is_declared_in_the_table(name):
    assert set(MACHINE.transitions[name].effects) == SIDE_EFFECTS[name]


def test_selecting_is_refused_when_no_position_is_left():
    application = record("shortlisted")
    with pytest.raises(TransitionRefused, match="already taken"):
        fire(MACHINE, application, "select", Actor(frozenset({"host"})), Notes(), data={"positions_open": 0})
    assert application.state == "shortlisted"


def test_the_applicant_can_withdraw_from_every_state_before_completed():
    assert MACHINE.transitions["withdraw"].sources == frozenset(LIVE)
    assert "completed" not in MACHINE.transitions["withdraw"].sources


def test_every_live_state_says_whom_it_waits_on_and_closed_ones_wait_on_nobody():
    assert all(next_step(state)[1] for state in LIVE)
    assert all(next_step(state)[1] is None for state in TERMINAL)


moves = st.lists(st.tuples(st.sampled_from(sorted(MACHINE.transitions)), st.sampled_from(ROLES),
                           st.integers(min_value=0, max_value=2)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(moves)
def test_random_moves_never_leave_the_table_or_a_terminal_state(sequence):
    application, notes = record("applied"), Notes()
    for name, role, positions in sequence:
        before = (application.state, application.version)
        try:
            fire(MACHINE, application, name, Actor(frozenset({role})), notes, data={"positions_open": positions})
        except TransitionRefused:
            assert (application.state, application.version) == before
            continue
        assert before[0] not in TERMINAL
        assert application.state in STATES
        assert application.version == before[1] + 1
        if application.state == "selected":
            assert positions >= 1
    assert len(notes.audits) == application.version - 1
    assert all(state in STATES for _, _, state in notes.audits)


def test_completion_before_the_start_is_refused_with_409():
    from datetime import timedelta

    from workflows import clock

    today = clock.canberra_today()
    application = record("confirmed", start_date=today + timedelta(days=1), end_date=today + timedelta(days=30))

    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, application, "complete", Actor(frozenset({"host"})), Notes(), data={"early_finish_reason": "x"})

    assert refused.value.status == 409 and application.state == "confirmed"


def test_an_early_finish_needs_a_reason_and_one_on_the_last_day_does_not():
    from datetime import timedelta

    from workflows import clock
    from workflows.application import completion_step

    today = clock.canberra_today()
    early = record("confirmed", start_date=today, end_date=today + timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, early, "complete", Actor(frozenset({"host"})), Notes())
    fire(MACHINE, early, "complete", Actor(frozenset({"host"})), Notes(), data={"early_finish_reason": "Delivered."})

    assert (refused.value.status, refused.value.field) == (422, "early_finish_reason")
    assert early.state == "completed"
    assert completion_step(today - timedelta(days=9), today) == "due"


def test_approving_above_20_percent_in_all_needs_the_approvers_agreement_beside_the_tick_box():
    application = record("manager_approval")
    manager = Actor(frozenset({"home_manager"}))

    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, application, "approve", manager, Notes(), data={"total_share": 0.25, "total_agreed": False})

    assert (refused.value.status, refused.value.field) == (422, "agree_total") and "25 %" in refused.value.message
    assert application.state == "manager_approval"
    fire(MACHINE, application, "approve", manager, Notes(), data={"total_share": 0.25, "total_agreed": True})
    assert application.state == "confirmed"


def test_approving_20_percent_or_less_needs_no_tick():
    application = record("manager_approval")

    fire(MACHINE, application, "approve", Actor(frozenset({"home_manager"})), Notes(), data={"total_share": 0.2})

    assert application.state == "confirmed"

"""The opportunity transition table, walked completely, and random walks through it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.models import AuditEvent, OutboxMessage
from portal.opportunities import records
from portal.transitions import apply
from tests.support import factories
from workflows import Actor, TransitionRefused, clock, fire
from workflows import opportunity as flow

NAMES = ["submit", "approve", "request_changes", "reject", "toggle_applications", "resubmit_after_edit", "match",
         "expire", "complete", "cancel"]


@dataclass
class ListRecorder:
    audits: list = field(default_factory=list)
    effects: list = field(default_factory=list)

    def audit(self, record, transition, actor, from_state, reason, at, data):
        self.audits.append((transition.name, from_state, record.state))

    def effect(self, record, transition, effect, actor, reason, data):
        self.effects.append((transition.name, effect.template, effect.to))


def complete_record(state: str) -> SimpleNamespace:
    today = clock.canberra_today()
    return SimpleNamespace(
        state=state, version=1, title="A title", summary="A summary", what_you_do="Things", host_agency_id=1,
        commitment_amount=4, start_date=today + timedelta(days=30), end_date=today + timedelta(days=60),
        deadline=today + timedelta(days=10), approving_manager_email="m@example.gov.au",
        approving_manager_name="M", skills=["one"], work_mode="remote", location_state=None, positions=1)


def fire_as(record, name: str, role: str, recorder=None):
    return fire(flow.MACHINE, record, name, Actor(frozenset({role})), recorder or ListRecorder(),
                reason="A reason", data={"confirmed_participants": 1})


def test_transition_names_are_the_agreed_ones():
    assert list(flow.MACHINE.transitions) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_state_and_role_pair_is_allowed_exactly_as_the_table_says(name):
    transition = flow.MACHINE.transitions[name]
    for state in flow.STATES:
        for role in sorted(flow.ROLES):
            record = complete_record(state)
            recorder = ListRecorder()
            if state in transition.sources and role in transition.roles:
                fire_as(record, name, role, recorder)
                assert record.state == transition.target and record.version == 2
                assert recorder.audits == [(name, state, transition.target)]
            else:
                with pytest.raises(TransitionRefused) as refused:
                    fire_as(record, name, role, recorder)
                assert refused.value.status in (403, 409)
                assert record.state == state and record.version == 1 and recorder.audits == []


@pytest.mark.parametrize("name", ["request_changes", "reject", "cancel"])
def test_moves_that_need_a_reason_are_refused_without_one(name):
    transition = flow.MACHINE.transitions[name]
    record = complete_record(sorted(transition.sources)[0])
    role = sorted(transition.roles)[0]
    with pytest.raises(TransitionRefused) as refused:
        fire(flow.MACHINE, record, name, Actor(frozenset({role})), ListRecorder(), reason="  ")
    assert refused.value.status == 422
    assert record.version == 1


def test_submit_is_refused_until_the_opportunity_is_complete():
    record = complete_record("draft")
    record.summary, record.skills, record.approving_manager_email = "", [], None
    with pytest.raises(TransitionRefused) as refused:
        fire_as(record, "submit", "owner")
    assert "a summary" in refused.value.message and "skills" in refused.value.message
    assert "approving manager" in refused.value.message
    assert record.state == "draft"


def test_owner_cannot_close_selection_without_a_confirmed_participant():
    record = complete_record("open")
    with pytest.raises(TransitionRefused):
        fire(flow.MACHINE, record, "match", Actor(frozenset({"owner"})), ListRecorder(),
             data={"confirmed_participants": 0})
    assert record.state == "open"


def test_system_matches_without_counting_confirmations():
    record = complete_record("open")
    fire(flow.MACHINE, record, "match", Actor(frozenset({"system"})), ListRecorder())
    assert record.state == "matched"


def test_applying_a_transition_writes_one_audit_event_and_its_e_mails(session, make_user):
    owner = make_user()
    opportunity = factories.opportunity(session, owner)
    session.commit()

    apply(session, records.OPPORTUNITY_KIND, opportunity, "submit", records.actor_for(owner, opportunity))
    session.commit()

    events = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "opportunity")).all()
    assert [(e.action, e.from_state, e.to_state) for e in events] == [("submit", "draft", "approval")]
    templates = set(session.scalars(select(OutboxMessage.template)))
    assert templates == {"opportunity_approval_request", "opportunity_submitted"}


def test_a_stale_version_is_refused_with_409(session, make_user):
    owner = make_user()
    opportunity = factories.opportunity(session, owner)
    with pytest.raises(TransitionRefused) as refused:
        apply(session, records.OPPORTUNITY_KIND, opportunity, "submit", records.actor_for(owner, opportunity), expected_version=0)
    assert refused.value.status == 409


ACTIONS = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(sorted(flow.ROLES)), st.booleans()),
                   max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_random_actions_stay_in_the_table_and_audit_every_success(session, make_user, actions):
    owner = make_user()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    successes = 0
    for name, role, with_reason in actions:
        before = opportunity.state
        try:
            apply(session, records.OPPORTUNITY_KIND, opportunity, name, Actor(frozenset({role}), owner.id, role),
                  reason="Because" if with_reason else None, data={"confirmed_participants": 1})
        except TransitionRefused:
            session.rollback()
            assert opportunity.state == before
            continue
        session.commit()
        successes += 1
        transition = flow.MACHINE.transitions[name]
        assert before in transition.sources and role in transition.roles
        assert opportunity.state == transition.target
    assert opportunity.state in flow.STATES
    audited = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.record_id == opportunity.id,
                                                                    AuditEvent.record_type == "opportunity"))
    assert audited == successes

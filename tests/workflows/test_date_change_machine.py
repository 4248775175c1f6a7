"""The date-change table: who answers, from which state, and only while the participation goes ahead."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from workflows import Actor, Job, TransitionRefused, fire
from workflows.date_change import MACHINE


class Nothing:
    def audit(self, *args) -> None: ...

    def effect(self, *args) -> None: ...


def change(state: str = "pending"):
    return SimpleNamespace(id=1, state=state, version=1)


MANAGER = Actor(frozenset({"home_manager"}))


def test_the_home_manager_agrees_and_only_then_the_arrangement_is_issued():
    record = change()
    transition = fire(MACHINE, record, "agree", MANAGER, Nothing(), data={"participation": "confirmed"})
    assert record.state == "agreed" and Job("issue-agreed-arrangement") in transition.effects
    assert not any(isinstance(e, Job) for e in MACHINE.transitions["decline"].effects)


@pytest.mark.parametrize("roles", [{"applicant"}, {"host"}, {"system"}])
def test_nobody_else_answers(roles):
    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, change(), "agree", Actor(frozenset(roles)), Nothing(), data={"participation": "confirmed"})
    assert refused.value.status == 403


def test_an_answered_change_cannot_be_answered_again():
    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, change("declined"), "agree", MANAGER, Nothing(), data={"participation": "confirmed"})
    assert refused.value.status == 409


def test_a_change_to_a_participation_no_longer_going_ahead_is_refused():
    record = change()
    with pytest.raises(TransitionRefused) as refused:
        fire(MACHINE, record, "decline", MANAGER, Nothing(), data={"participation": "withdrawn"})
    assert refused.value.status == 409 and record.state == "pending"

"""The one transition engine: source state, role, guard, version, audit event, effects."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol

from workflows import clock
from workflows.refusal import Refused


class TransitionRefused(Refused):
    """A move the rules do not allow. `status` is 403 (not your move), 409 (not now) or 422 (no reason given)."""

    def __init__(self, message: str, status: int = 409, field: str | None = None) -> None:
        super().__init__(message, status, field, code="transition_refused")


@dataclass(frozen=True)
class Actor:
    """Who is acting and which roles they hold on this particular record."""

    roles: frozenset[str]
    user_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Effect:
    """A side effect to queue through the outbox: a message template sent to a party."""

    template: str
    to: str


@dataclass(frozen=True)
class Job:
    """Background work to queue through the outbox (rendering a document), run once the transition commits."""

    name: str


Guard = Callable[[Any, Actor, dict], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str = ""
    guard: Guard | None = None
    effects: tuple[Effect | Job, ...] = ()
    reason_required: bool = False

    def same_state(self) -> bool:
        return self.sources == frozenset({self.target})


class Recorder(Protocol):
    """Where `fire` writes what happened; the portal's writes rows in the open transaction."""

    def audit(self, record: Any, transition: Transition, actor: Actor, from_state: str,
              reason: str | None, at: datetime, data: dict) -> None: ...

    def effect(self, record: Any, transition: Transition, effect: Effect | Job, actor: Actor,
               reason: str | None, data: dict) -> None: ...


@dataclass
class Machine:
    name: str
    states: frozenset[str]
    terminal: frozenset[str]
    transitions: dict[str, Transition] = field(default_factory=dict)

    @classmethod
    def build(cls, name: str, states: Iterable[str], terminal: Iterable[str],
              transitions: Iterable[Transition]) -> "Machine":
        machine = cls(name, frozenset(states), frozenset(terminal))
        for transition in transitions:
            unknown = (transition.sources | {transition.target}) - machine.states
            if unknown:
                raise ValueError(f"{name}.{transition.name} names unknown states {sorted(unknown)}")
            if transition.sources & machine.terminal:
                raise ValueError(f"{name}.{transition.name} leaves a terminal state")
            machine.transitions[transition.name] = transition
        return machine

    def available(self, state: str, roles: frozenset[str]) -> list[Transition]:
        """Moves open to someone with `roles` from `state`, in table order (guards not run)."""
        return [t for t in self.transitions.values() if state in t.sources and t.roles & roles]


def fire(machine: Machine, record: Any, name: str, actor: Actor, recorder: Recorder, *,
         reason: str | None = None, expected_version: int | None = None,
         data: dict | None = None) -> Transition:
    """Apply transition `name` to `record` or raise TransitionRefused, changing nothing."""
    transition = machine.transitions.get(name)
    if transition is None:
        raise TransitionRefused(f"'{name}' is not something that can be done here.", 404)
    if expected_version is not None and expected_version != record.version:
        raise TransitionRefused(
            "Someone else changed this record while you were looking at it. Reload the page and try again.", 409)
    if not (transition.roles & actor.roles):
        raise TransitionRefused("You are not allowed to do that.", 403)
    if record.state not in transition.sources:
        raise TransitionRefused(
            f"This cannot be done while it is {record.state.replace('_', ' ')}.", 409)
    reason = (reason or "").strip() or None
    if transition.reason_required and not reason:
        raise TransitionRefused("Please give a reason.", 422)
    data = dict(data or {})
    if transition.guard is not None:
        problem = transition.guard(record, actor, data)
        if problem:
            raise TransitionRefused(problem, 409)
    from_state = record.state
    record.state = transition.target
    record.version = (record.version or 0) + 1
    now = clock.utcnow()
    recorder.audit(record, transition, actor, from_state, reason, now, data)
    for effect in transition.effects:
        recorder.effect(record, transition, effect, actor, reason, data)
    return transition

"""Glue between workflows/ and the database: audit rows and outbox e-mails in the caller's transaction.

Each kind of record registers a RecordKind saying who its parties are (for e-mail effects) and
what an e-mail about it should be told. Views and tasks call `apply`; nothing else changes state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm import Session

from portal.audit import client_address
from portal.models import AuditEvent
from portal.outbox import queue_email
from workflows import Actor, Effect, Machine, Transition, fire

Party = tuple[str | None, str]  # name, e-mail


@dataclass(frozen=True)
class RecordKind:
    name: str  # "opportunity", "application": AuditEvent.record_type
    machine: Machine
    parties: Callable[[Any], dict[str, Party | list[Party] | None]]
    context: Callable[[Any], dict]
    category: str = "general"


KINDS: dict[type, RecordKind] = {}
# Which notification category (portal.models.notifications.CATEGORIES) a message falls in, by who gets it.
PARTY_CATEGORIES = {"applicant": "my_applications", "host": "my_opportunities", "owner": "my_opportunities",
                    "home_manager": "approvals", "approving_manager": "approvals", "agency_admins": "approvals"}


def register_kind(model: type, kind: RecordKind) -> None:
    KINDS[model] = kind


class SessionRecorder:
    """Writes what a transition did into the open session."""

    def __init__(self, session: Session, kind: RecordKind) -> None:
        self.session = session
        self.kind = kind

    def audit(self, record: Any, transition: Transition, actor: Actor, from_state: str,
              reason: str | None, at: datetime, data: dict) -> None:
        self.session.add(AuditEvent(
            record_type=self.kind.name, record_id=record.id, action=transition.name, from_state=from_state,
            to_state=record.state, actor_id=actor.user_id, actor_label=actor.label, reason=reason,
            data={k: v for k, v in data.items() if isinstance(v, (str, int, float, bool, type(None)))},
            created_at=at, client_address=client_address()))

    def effect(self, record: Any, transition: Transition, effect: Effect, actor: Actor,
               reason: str | None, data: dict) -> None:
        parties = self.kind.parties(record).get(effect.to)
        if not parties:
            return
        recipients = parties if isinstance(parties, list) else [parties]
        context = dict(self.kind.context(record), reason=reason, actor=actor.label, transition=transition.name,
                       **{k: v for k, v in data.items() if isinstance(v, (str, int, float, bool, type(None)))})
        for name, email in recipients:
            key = f"{self.kind.name}:{record.id}:v{record.version}:{effect.template}:{email.lower()}"
            queue_email(self.session, effect.template, email, dict(context, recipient_role=effect.to), key,
                        name=name, category=PARTY_CATEGORIES.get(effect.to, self.kind.category))


def apply(session: Session, record: Any, name: str, actor: Actor, *, reason: str | None = None,
          expected_version: int | None = None, data: dict | None = None) -> Transition:
    """Fire one transition on `record` and flush; the caller commits (or rolls back on error)."""
    kind = KINDS[type(record)]
    transition = fire(kind.machine, record, name, actor, SessionRecorder(session, kind), reason=reason,
                      expected_version=expected_version, data=data)
    session.flush()
    return transition

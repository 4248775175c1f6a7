"""Glue between workflows/ and the database: audit rows and outbox entries in the caller's transaction.

Each kind of record has a RecordKind saying which machine moves it, who its parties are (for e-mail
effects) and what an e-mail to each party is told. Views and tasks call `apply` with the kind; nothing else
changes state. Every effect a transition declares in its table is queued here, by the one recorder.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm import Session

from portal.audit import client_address
from portal.models import AuditEvent
from portal.outbox import queue_email, queue_job
from workflows import Actor, Effect, Job, Machine, Transition, fire

Party = tuple[str | None, str]  # name, e-mail


@dataclass(frozen=True)
class RecordKind:
    name: str  # "opportunity", "application": AuditEvent.record_type
    machine: Machine
    parties: Callable[[Any], dict[str, Party | list[Party] | None]]
    context: Callable[[Any, str], dict]  # (record, party the e-mail goes to) -> template context
    category: str = "general"


# Which notification category (portal.models.notifications.CATEGORIES) a message falls in, by who gets it.
PARTY_CATEGORIES = {"applicant": "my_applications", "host": "my_opportunities", "owner": "my_opportunities",
                    "home_manager": "approvals", "approving_manager": "approvals", "agency_admins": "approvals"}


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool, type(None)))}


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
            data=_plain(data), created_at=at, client_address=client_address()))

    def effect(self, record: Any, transition: Transition, effect: Effect | Job, actor: Actor,
               reason: str | None, data: dict) -> None:
        key = f"{self.kind.name}:{record.id}:v{record.version}"
        if isinstance(effect, Job):
            queue_job(self.session, effect.name, {f"{self.kind.name}_id": record.id}, f"{key}:{effect.name}")
            return
        parties = self.kind.parties(record).get(effect.to)
        if not parties:
            return
        recipients = parties if isinstance(parties, list) else [parties]
        context = dict(self.kind.context(record, effect.to), reason=reason, actor=actor.label,
                       transition=transition.name, **_plain(data))
        for name, email in recipients:
            queue_email(self.session, effect.template, email, dict(context, recipient_role=effect.to),
                        f"{key}:{effect.template}:{email.lower()}", name=name,
                        category=PARTY_CATEGORIES.get(effect.to, self.kind.category))


def apply(session: Session, kind: RecordKind, record: Any, name: str, actor: Actor, *, reason: str | None = None,
          expected_version: int | None = None, data: dict | None = None) -> Transition:
    """Fire one transition on `record` (a `kind` record) and flush; the caller commits (or rolls back on error)."""
    transition = fire(kind.machine, record, name, actor, SessionRecorder(session, kind), reason=reason,
                      expected_version=expected_version, data=data)
    session.flush()
    return transition

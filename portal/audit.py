"""Audit events for what is not a workflow transition (sign-ups, admin actions)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal.models import AuditEvent, User


def record_admin_event(session: Session, record_type: str, record_id: int, action: str, *,
                       actor: User | None, reason: str | None = None, data: dict | None = None) -> AuditEvent:
    event = AuditEvent(record_type=record_type, record_id=record_id, action=action,
                       actor_id=actor.id if actor else None, actor_label=actor.email if actor else "system",
                       reason=reason, data=data or {})
    session.add(event)
    return event

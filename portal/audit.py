"""Audit events for what is not a workflow transition (sign-ups, admin actions)."""
from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy.orm import Session

from portal.models import AuditEvent, User


def client_address() -> str | None:
    """The address of the person whose request this is (the proxies' own removed by TRUSTED_PROXIES);
    None for the worker, beat and the CLI."""
    return request.remote_addr if has_request_context() else None


def record_admin_event(session: Session, record_type: str, record_id: int, action: str, *,
                       actor: User | None, reason: str | None = None, data: dict | None = None) -> AuditEvent:
    event = AuditEvent(record_type=record_type, record_id=record_id, action=action,
                       actor_id=actor.id if actor else None, actor_label=actor.email if actor else "system",
                       reason=reason, data=data or {}, client_address=client_address())
    session.add(event)
    return event

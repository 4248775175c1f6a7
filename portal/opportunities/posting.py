"""Posting an opportunity: what is still needed before it can be submitted, and the approving manager's request
for changes a draft is answering (read back from the audit record of that decision, not from anything typed since)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Opportunity, User
from workflows.opportunity import missing_for_submit


def still_to_add(opportunity: Opportunity, user: User) -> list[str]:
    """What the owner must add before submitting. The submit page offers the owner's supervisor as approving
    manager, so the manager is missing only when the opportunity and the profile both lack them."""
    return missing_for_submit(opportunity, (user.supervisor_name, user.supervisor_email))


def changes_requested(session: Session, opportunity: Opportunity) -> AuditEvent | None:
    """The decision that sent this draft back for changes (its reason is the manager's comment), while it is still
    a draft; None otherwise. One query: the opportunity's latest move between states."""
    if opportunity.state != "draft":
        return None
    latest = session.scalar(
        select(AuditEvent).where(AuditEvent.record_type == "opportunity", AuditEvent.record_id == opportunity.id,
                                 AuditEvent.from_state.is_not(None), AuditEvent.to_state.is_not(None),
                                 AuditEvent.from_state != AuditEvent.to_state)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(1))
    return latest if latest is not None and latest.action == "request_changes" else None


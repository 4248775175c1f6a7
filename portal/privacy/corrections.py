"""Correction requests: asked by a person, decided by an admin of their agency (or a site admin), both
audited; the decision goes through the correction machine and e-mails the person."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import transitions
from portal.models import AuditEvent, CorrectionRequest, User
from portal.models.users import agency_admins
from portal.outbox import queue_email
from portal.transitions import RecordKind
from portal.urls import external_url
from workflows import Actor, clock
from workflows.correction import MACHINE


def _parties(request: CorrectionRequest) -> dict:
    return {"requester": (request.user.name, request.user.email)}


def _context(request: CorrectionRequest, party: str | None = None) -> dict:
    return {"correction_id": request.id, "subject_label": request.subject_label, "details": request.details,
            "url": external_url("privacy.index")}


KIND = RecordKind("correction", MACHINE, _parties, _context, category="account")


def ask(session: Session, user: User, subject: str, details: str) -> CorrectionRequest:
    """A new pending request, its audit event, and an e-mail to whoever can decide it."""
    request = CorrectionRequest(user=user, agency_id=user.agency_id, subject=subject, details=details.strip())
    session.add(request)
    session.flush()
    session.add(AuditEvent(record_type=KIND.name, record_id=request.id, action="request", from_state=None,
                           to_state="pending", actor_id=user.id, actor_label=user.email,
                           data={"subject": subject}))
    link = external_url("corrections.decide", correction_id=request.id)
    for admin in deciders(session, request):
        queue_email(session, "correction_requested", admin.email,
                    {"name": admin.name, "requester_name": user.name, "subject_label": request.subject_label,
                     "link": link}, key=f"correction:{request.id}:asked:{admin.id}", name=admin.name,
                    category="approvals")
    return request


def deciders(session: Session, request: CorrectionRequest) -> list[User]:
    """The admins of the person's agency, or the site admins when that agency has none."""
    admins = list(session.scalars(select(User).join(agency_admins, agency_admins.c.user_id == User.id).where(
        agency_admins.c.agency_id == request.agency_id, User.disabled_at.is_(None), User.id != request.user_id)))
    return admins or list(session.scalars(select(User).where(User.is_site_admin.is_(True),
                                                             User.disabled_at.is_(None),
                                                             User.id != request.user_id)))


def roles_for(user: User, request: CorrectionRequest) -> frozenset[str]:
    """Nobody decides their own request; site admins decide any, agency admins their agency's."""
    if user.id == request.user_id:
        return frozenset()
    if user.is_site_admin:
        return frozenset({"site_admin"})
    if request.agency_id is not None and request.agency_id in user.administered_agency_ids:
        return frozenset({"agency_admin"})
    return frozenset()


def decide(session: Session, request: CorrectionRequest, user: User, accept: bool, note: str | None,
           expected_version: int | None = None) -> None:
    transitions.apply(session, KIND, request, "accept" if accept else "decline",
                      Actor(roles_for(user, request), user.id, user.email), reason=note,
                      expected_version=expected_version)
    request.decision_note, request.decided_by_id = (note or "").strip() or None, user.id
    request.decided_at = clock.utcnow()

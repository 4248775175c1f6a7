"""The retention sweep: what the portal keeps past its time is anonymised, not deleted, so the reports'
counts stay right. Applications that never went ahead go APPLICATION_RETENTION_DAYS after their last
change (2 years by default); participations PARTICIPATION_RETENTION_DAYS after (7 years); a closed or
disabled account once its longest rule has passed since its last activity. Audit events keep the
event (what, when, which record), not the personal data in them."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal.applications import cv
from portal.models import (Acknowledgement, AnnouncementDismissal, ApiToken, Application, Arrangement, AuditEvent,
                           Certificate, CorrectionRequest, DataExport, Feedback, Notification,
                           NotificationPreference, Opportunity, OutboxMessage, SavedOpportunity, SavedSearch, User)
from portal.privacy.export import forget_old_exports
from portal.sweeps import sweep
from workflows import clock

REMOVED = "Removed"
REMOVED_EMAIL = "removed@removed.invalid"
PARTICIPATED = ("confirmed", "completed")
NEVER_WENT_AHEAD = ("withdrawn", "not_selected", "manager_declined", "lapsed", "cancelled")
BATCH = 500


def _cutoffs() -> tuple:
    settings, now = current_app.config["SETTINGS"], clock.utcnow()
    return (now - timedelta(days=settings.application_retention_days),
            now - timedelta(days=settings.participation_retention_days))


@sweep("retention")
def anonymise_expired(session: Session, dry_run: bool) -> list[str]:
    """One line per application and account anonymised (or that would be)."""
    short, long = _cutoffs()
    expired = list(session.scalars(select(Application).where(
        Application.home_manager_email != REMOVED_EMAIL,
        or_(Application.state.in_(NEVER_WENT_AHEAD) & (Application.updated_at < short),
            (Application.state == "completed") & (Application.updated_at < long))).limit(BATCH)))
    people = [user for user in session.scalars(select(User).where(
        User.anonymised_at.is_(None), or_(User.closed_at.is_not(None), User.disabled_at.is_not(None))).limit(BATCH))
        if _last_activity(user) < (long if _took_part(session, user) else short)]
    lines = [f"application {a.id} ({a.state}) anonymised" for a in expired]
    lines += [f"account {u.id} anonymised" for u in people]
    if dry_run:
        return lines
    anonymise_applications(session, [a.id for a in expired])
    for user in people:
        anonymise_person(session, user)
    # Delivery records and in-app notices name other people (an applicant in a host's notice): kept 2 years.
    session.execute(delete(OutboxMessage).where(OutboxMessage.status != "pending", OutboxMessage.created_at < short))
    session.execute(delete(Notification).where(Notification.created_at < short))
    forget_old_exports(session)
    return lines


def _last_activity(user: User):
    return max(moment for moment in (user.last_login_at, user.closed_at, user.disabled_at, user.created_at)
               if moment is not None)


def _took_part(session: Session, user: User) -> bool:
    return session.scalar(select(func.count(Application.id)).where(
        Application.applicant_id == user.id, Application.state.in_(PARTICIPATED))) > 0


def anonymise_applications(session: Session, ids: list[int]) -> None:
    """Names, addresses, CVs and free text of these applications and their paperwork go; states stay."""
    if not ids:
        return
    settings = current_app.config["SETTINGS"]
    for path in session.scalars(select(Application.cv_path).where(Application.id.in_(ids),
                                                                  Application.cv_path.is_not(None))):
        cv.path_of(settings, path).unlink(missing_ok=True)
    session.execute(update(Application).where(Application.id.in_(ids)).values(
        statement="", relevant_skills=None, availability=None, development_goals=None, cv_filename=None, cv_path=None,
        home_manager_name=REMOVED, home_manager_email=REMOVED_EMAIL, manager_comment=None, manager_conditions=None,
        owner_message=None))
    arrangements = select(Arrangement.id).where(Arrangement.application_id.in_(ids)).scalar_subquery()
    session.execute(update(Arrangement).where(Arrangement.application_id.in_(ids)).values(pdf=None))
    session.execute(update(Acknowledgement).where(Acknowledgement.arrangement_id.in_(arrangements))
                    .values(name=REMOVED, email=REMOVED_EMAIL))
    session.execute(update(Certificate).where(Certificate.application_id.in_(ids)).values(pdf=None))
    session.execute(update(Feedback).where(Feedback.application_id.in_(ids)).values(comment=None))
    session.execute(update(AuditEvent).where(AuditEvent.record_type == "application", AuditEvent.record_id.in_(ids))
                    .values(reason=None, data={}, actor_label=REMOVED))


def anonymise_person(session: Session, user: User) -> None:
    """Everything that names the person or lets them be reached goes; their agency and skills stay, counted."""
    address = user.email
    anonymise_applications(session, list(session.scalars(select(Application.id).where(
        Application.applicant_id == user.id))))
    session.execute(update(Application).where(Application.home_manager_email == address)
                    .values(home_manager_name=REMOVED, home_manager_email=REMOVED_EMAIL))
    session.execute(update(Acknowledgement).where(Acknowledgement.email == address)
                    .values(name=REMOVED, email=REMOVED_EMAIL))
    session.execute(update(Opportunity).where(Opportunity.approving_manager_email == address)
                    .values(approving_manager_name=REMOVED, approving_manager_email=REMOVED_EMAIL))
    session.execute(update(Opportunity).where(Opportunity.contact_email == address)
                    .values(contact_name=None, contact_email=None))
    session.execute(update(Feedback).where(Feedback.author_id == user.id).values(comment=None))
    session.execute(update(CorrectionRequest).where(CorrectionRequest.user_id == user.id)
                    .values(details="", decision_note=None))
    session.execute(update(AuditEvent).where(or_(AuditEvent.actor_id == user.id,
                                                 (AuditEvent.record_type == "user") & (AuditEvent.record_id == user.id)))
                    .values(actor_label=REMOVED, reason=None, data={}))
    session.execute(update(AuditEvent).where(AuditEvent.actor_label.contains(address)).values(actor_label=REMOVED))
    session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == address))
    for model in (Notification, NotificationPreference, SavedSearch, SavedOpportunity, ApiToken, DataExport,
                  AnnouncementDismissal):
        session.execute(delete(model).where(model.user_id == user.id))
    user.name, user.email, user.password_hash = "Former participant", f"removed-{user.id}@removed.invalid", "!"
    user.job_title = user.location = user.supervisor_name = user.supervisor_email = user.bio = None
    user.aps_classification, user.clearance = None, "none"
    user.skill_alerts_since, user.anonymised_at = None, clock.utcnow()
    user.closed_at = user.closed_at or user.disabled_at

"""Download my data: a ZIP of everything the portal holds about one person (JSON plus their CVs,
arrangements and certificates), built in the background and e-mailed as a link that works once, for
them only, for `Settings.data_export_hours` (24)."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, undefer

from portal import links
from portal.applications import cv
from portal.audit import record_admin_event
from portal.models import (Acknowledgement, ApiToken, Application, Arrangement, AuditEvent, Certificate,
                           CorrectionRequest, DataExport, DateChange, Feedback, Notification, NotificationPreference,
                           Opportunity, OutboxMessage, Question, SavedOpportunity, SavedSearch, User)
from portal.outbox import queue_email, queue_job
from portal.urls import external_url
from workflows import clock

EXPORT_LINK = links.LinkKind("data-export", max_age_hours_setting="data_export_hours")
SECRET_COLUMNS = {"password_hash", "session_version", "token_hash", "cv_path", "archive", "pdf", "search_text"}


def _row(record) -> dict:
    """A record's columns as JSON-ready values, secrets and file blobs left out."""
    return {column.key: _plain(getattr(record, column.key)) for column in record.__table__.columns
            if column.key not in SECRET_COLUMNS}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def request_export(session: Session, user: User) -> DataExport:
    """Record the request (audited) and queue the build; the caller commits."""
    export = DataExport(user_id=user.id)
    session.add(export)
    session.flush()
    record_admin_event(session, "user", user.id, "data_export_requested", actor=user)
    queue_job(session, "build-data-export", {"export_id": export.id}, key=f"data-export:{export.id}")
    return export


def build(session: Session, context: dict) -> None:
    """Build the ZIP, keep it on the export row, and e-mail its one-time link."""
    export = session.get(DataExport, context["export_id"])
    if export is None or export.ready_at is not None:
        return
    user = session.get(User, export.user_id)
    export.archive, export.ready_at = archive(session, user), clock.utcnow()
    token = EXPORT_LINK.make(uid=user.id, export=export.id)
    hours = current_app.config["SETTINGS"].data_export_hours
    queue_email(session, "data_export_ready", user.email,
                {"name": user.name, "link": external_url("privacy.download", token=token), "hours": hours},
                key=f"data-export-ready:{export.id}", name=user.name, category="account")


def archive(session: Session, user: User) -> bytes:
    """Everything held about `user`, as profile.json, records.json and their documents."""
    applications = list(session.scalars(select(Application).where(Application.applicant_id == user.id)
                                        .order_by(Application.id)))
    application_ids = [a.id for a in applications]
    arrangements = list(session.scalars(select(Arrangement).where(Arrangement.application_id.in_(application_ids))
                                        .options(undefer(Arrangement.pdf)).order_by(Arrangement.id)))
    certificates = list(session.scalars(select(Certificate).where(Certificate.application_id.in_(application_ids))
                                        .options(undefer(Certificate.pdf))))
    records = {
        "applications": [dict(_row(a), opportunity_title=a.opportunity.title) for a in applications],
        "arrangements": [_row(a) for a in arrangements],
        "acknowledgements": [_row(a) for a in session.scalars(select(Acknowledgement).where(
            or_(Acknowledgement.email == user.email, Acknowledgement.arrangement_id.in_([a.id for a in arrangements]))))],
        "certificates": [_row(c) for c in certificates],
        "date_changes": [_row(c) for c in session.scalars(select(DateChange).where(
            DateChange.application_id.in_(application_ids)).order_by(DateChange.id))],
        "feedback": [_row(f) for f in session.scalars(select(Feedback).where(
            or_(Feedback.author_id == user.id, Feedback.application_id.in_(application_ids))))],
        "opportunities_owned": [_row(o) for o in session.scalars(select(Opportunity).where(
            or_(Opportunity.owner_id == user.id, Opportunity.creator_id == user.id)))],
        "saved_opportunities": [_row(s) for s in session.scalars(select(SavedOpportunity).where(
            SavedOpportunity.user_id == user.id))],
        "saved_searches": [_row(s) for s in session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id))],
        "notifications": [_row(n) for n in session.scalars(select(Notification).where(Notification.user_id == user.id))],
        "email_settings": [_row(p) for p in session.scalars(select(NotificationPreference).where(
            NotificationPreference.user_id == user.id))],
        "api_tokens": [_row(t) for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))],
        "correction_requests": [_row(c) for c in session.scalars(select(CorrectionRequest).where(
            CorrectionRequest.user_id == user.id))],
        "questions_asked": [dict(_row(q), opportunity_title=q.opportunity.title) for q in session.scalars(
            select(Question).where(Question.asker_id == user.id).order_by(Question.id))],
        "emails_sent_to_you": [{"template": m.template, "status": m.status, "queued_at": _plain(m.created_at),
                                "sent_at": _plain(m.sent_at)} for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == user.email))],
        "history": [_row(e) for e in session.scalars(select(AuditEvent).where(or_(
            AuditEvent.actor_id == user.id, (AuditEvent.record_type == "user") & (AuditEvent.record_id == user.id),
            (AuditEvent.record_type == "application") & AuditEvent.record_id.in_(application_ids)))
            .order_by(AuditEvent.id))],
    }
    profile = dict(_row(user), agency=user.agency.name if user.agency else None,
                   skills=[s.name for s in user.skills], agency_admin_of=[a.name for a in user.admin_of])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("README.txt", README.format(name=user.name, when=clock.utcnow().isoformat(timespec="minutes")))
        bundle.writestr("profile.json", json.dumps(profile, indent=2, default=str))
        bundle.writestr("records.json", json.dumps(records, indent=2, default=str))
        settings = current_app.config["SETTINGS"]
        for application in applications:
            path = cv.path_of(settings, application.cv_path) if application.cv_path else None
            if path is not None and path.exists():
                bundle.writestr(f"cvs/application-{application.id}.pdf", path.read_bytes())
        for arrangement in arrangements:
            if arrangement.pdf:
                bundle.writestr(f"arrangements/{arrangement.reference}-v{arrangement.version}.pdf", arrangement.pdf)
        for certificate in certificates:
            if certificate.pdf:
                bundle.writestr(f"certificates/{certificate.reference}.pdf", certificate.pdf)
    return buffer.getvalue()


README = """Everything oneAPS Opportunities holds about {name}, as at {when} UTC.

profile.json   your account and profile
records.json   your applications, arrangements, certificates, feedback, opportunities you own, saved
               searches, notifications, e-mail settings, API tokens (never the secret), correction
               requests, the questions you asked about opportunities, the e-mails we sent you and the history of changes you made or that concern you
cvs/ arrangements/ certificates/   the documents themselves

If something here is wrong and you cannot change it on your profile, ask for a correction on the
"Your data and privacy" page.
"""


def claim_download(session: Session, link: links.Link, user: User) -> bytes:
    """The ZIP behind a link: only for the person it was built for, once, within the time allowed; the copy
    kept here is dropped as it is handed over."""
    export = session.get(DataExport, link.payload.get("export"))
    if export is None:
        raise links.LinkRefused("invalid")
    if export.user_id != user.id or link.payload.get("uid") != user.id:
        raise links.LinkRefused("not_yours")
    if export.downloaded_at is not None or export.archive is None:
        raise links.LinkRefused("used")
    link.use(session)
    content, export.archive, export.downloaded_at = export.archive, None, clock.utcnow()
    record_admin_event(session, "user", user.id, "data_export_downloaded", actor=user)
    return content


def forget_old_exports(session: Session) -> int:
    """Archives are kept no longer than their link works (and not at all once downloaded)."""
    hours = current_app.config["SETTINGS"].data_export_hours
    cutoff = clock.utcnow() - timedelta(hours=hours)
    old = list(session.scalars(select(DataExport).where(DataExport.archive.is_not(None),
                                                        DataExport.created_at < cutoff)))
    for export in old:
        export.archive = None
    return len(old)

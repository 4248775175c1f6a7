"""Background paperwork: the arrangement (versioned, e-mailed, acknowledged) and the certificate.

Jobs run from the outbox after the confirming transaction commits, so a rolled-back approval
never produces a document, and a retried job never produces two.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from portal import links
from portal.participation import documents
from portal.urls import external_url
from portal.applications.services import opportunity_url
from portal.audit import record_admin_event
from portal.models import Acknowledgement, Application, Arrangement, Certificate, Opportunity, User
from portal.outbox import Handlers, queue_email, queue_job
from workflows import clock

ACK_LINK_DAYS = 28
ACK_LINK = links.LinkKind("acknowledge-arrangement", max_age_seconds=ACK_LINK_DAYS * 86400)


def _application(session: Session, application_id: int) -> Application | None:
    return session.scalar(select(Application).where(Application.id == application_id).options(
        joinedload(Application.opportunity).joinedload(Opportunity.owner), joinedload(Application.applicant)))


def may_see_paperwork(user: User, application: Application) -> bool:
    """The three parties and admins; nobody else learns the document exists."""
    opportunity = application.opportunity
    return (user.id in (application.applicant_id, opportunity.owner_id)
            or (user.is_verified and user.email.lower() == application.home_manager_email.lower())
            or user.administers(opportunity.host_agency_id)
            or user.administers(application.applicant.agency_id))


def owed_acknowledgements() -> list[ColumnElement[bool]]:
    """Acknowledgements still owed, as filters over Acknowledgement joined to its Arrangement and Application: on
    the latest version of a confirmed participation's arrangement, not yet given (the reminder sweep and the
    to-do list both ask this)."""
    newer = aliased(Arrangement)
    superseded = exists().where(newer.application_id == Arrangement.application_id, newer.version > Arrangement.version)
    return [Acknowledgement.acknowledged_at.is_(None), Application.state == "confirmed", ~superseded]


def latest_arrangement(session: Session, application_id: int) -> Arrangement | None:
    return session.scalar(select(Arrangement).where(Arrangement.application_id == application_id)
                          .order_by(Arrangement.version.desc()).limit(1))


def render_arrangement(session: Session, context: dict) -> None:
    """A new version when there is none yet or the dates changed; then e-mail it to the three parties."""
    application = _application(session, context["application_id"])
    if application is None or application.state != "confirmed":
        return
    opportunity = application.opportunity
    latest = latest_arrangement(session, application.id)
    if latest is not None and (latest.start_date, latest.end_date) == (opportunity.start_date, opportunity.end_date):
        return
    arrangement = Arrangement(application_id=application.id, version=(latest.version + 1) if latest else 1,
                              reference=f"IA-{opportunity.id:05d}-{application.id:06d}",
                              start_date=opportunity.start_date, end_date=opportunity.end_date)
    session.add(arrangement)
    parties = [("participant", application.applicant.name, application.applicant.email),
               ("home_manager", application.home_manager_name, application.home_manager_email),
               ("host_manager", opportunity.owner.name, opportunity.owner.email)]
    acknowledgements = [Acknowledgement(arrangement=arrangement, party=p, name=n, email=e.lower())
                        for p, n, e in parties]
    session.add_all(acknowledgements)
    session.flush()
    home_manager = session.scalar(select(User).where(func.lower(User.email) == application.home_manager_email.lower()))
    arrangement.pdf = documents.arrangement_pdf(application, arrangement, opportunity_url(opportunity.id),
                                                home_manager.job_title if home_manager else None)
    for ack in acknowledgements:
        send_for_acknowledgement(session, application, arrangement, ack, step=0)


def send_for_acknowledgement(session: Session, application: Application, arrangement: Arrangement,
                             ack: Acknowledgement, step: int) -> None:
    """The document, its calendar entry and a fresh acknowledgement link to one party (step 0, then reminders)."""
    attachments = [{"kind": "arrangement", "id": arrangement.id}]
    if arrangement.start_date is not None:
        attachments.append({"kind": "arrangement-ics", "id": arrangement.id})
    token = ACK_LINK.make(ack=ack.id)
    queue_email(session, "arrangement", ack.email, {
        "participant_name": application.applicant.name, "opportunity_title": application.opportunity.title,
        "reference": arrangement.reference, "version": arrangement.version, "reminder": step > 0,
        "link": external_url("participation.acknowledge", token=token)},
        key=f"arrangement:{arrangement.id}:{ack.party}" + (f":reminder{step}" if step else ""), name=ack.name,
        category="approvals", attachments=attachments)  # an acknowledgement is asked for: always sent


def reissue_arrangements(session: Session, opportunity: Opportunity) -> None:
    """For the opportunity's edit view after a change of dates: confirmed participants get a new version."""
    confirmed = session.scalars(select(Application.id).where(
        Application.opportunity_id == opportunity.id, Application.state == "confirmed"))
    for application_id in confirmed:
        queue_job(session, "render-arrangement", {"application_id": application_id},
                  key=f"render-arrangement:{application_id}:dates:{opportunity.start_date}:{opportunity.end_date}")


def _arrangement_pdf(session: Session, attachment: dict) -> tuple[str, str, bytes]:
    arrangement = session.get(Arrangement, attachment["id"])
    return f"{arrangement.reference}-v{arrangement.version}.pdf", "application/pdf", arrangement.pdf


def _arrangement_ics(session: Session, attachment: dict) -> tuple[str, str, bytes]:
    arrangement = session.get(Arrangement, attachment["id"])
    application = _application(session, arrangement.application_id)
    page = external_url("participation.arrangement", arrangement_id=arrangement.id)
    return "start-date.ics", "text/calendar", documents.start_date_ics(arrangement, application.opportunity.title, page)


def acknowledgement_for(session: Session, link: links.Link) -> Acknowledgement:
    """The acknowledgement a link stands for; LinkRefused when it is not there."""
    ack = session.get(Acknowledgement, link.payload["ack"])
    if ack is None:
        raise links.LinkRefused("invalid")
    return ack


def acknowledge(session: Session, link: links.Link) -> Acknowledgement:
    ack = acknowledgement_for(session, link)
    link.use(session)
    if ack.acknowledged_at is None:
        ack.acknowledged_at = clock.utcnow()
        record_admin_event(session, "arrangement", ack.arrangement_id, "acknowledged", actor=None,
                           data={"party": ack.party, "email": ack.email})
    return ack


def render_certificate(session: Session, context: dict) -> None:
    """The participant's certificate, once; e-mailed with a request for feedback."""
    application = _application(session, context["application_id"])
    if application is None or application.state != "completed":
        return
    if session.scalar(select(Certificate.id).where(Certificate.application_id == application.id)):
        return
    certificate = Certificate(application_id=application.id,
                              reference=f"CC-{application.opportunity_id:05d}-{application.id:06d}")
    session.add(certificate)
    session.flush()
    certificate.pdf = documents.certificate_pdf(application, certificate)
    queue_email(session, "certificate", application.applicant.email,
                {"opportunity_title": application.opportunity.title,
                 "feedback_url": external_url("feedback.feedback", application_id=application.id)},
                key=f"certificate:{certificate.id}", name=application.applicant.name, category="my_applications",
                attachments=[{"kind": "certificate", "id": certificate.id}])


def _certificate_pdf(session: Session, attachment: dict) -> tuple[str, str, bytes]:
    certificate = session.get(Certificate, attachment["id"])
    return f"{certificate.reference}.pdf", "application/pdf", certificate.pdf


# The outbox jobs the transition tables name (workflows/application.py) and the attachments these e-mails carry;
# the app factory hands them to the outbox.
HANDLERS = Handlers(
    jobs={"render-arrangement": render_arrangement, "render-certificate": render_certificate},
    attachments={"arrangement": _arrangement_pdf, "arrangement-ics": _arrangement_ics, "certificate": _certificate_pdf},
)

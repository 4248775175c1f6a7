"""The paperwork of the seeded participations, made the way real ones get it.

The seed queues the jobs that the transitions on each participation's path name (render-arrangement when the home
manager approves, render-certificate on completion), through the same recorder a transition uses. Once the seed has
committed, `carry_out_jobs` runs them as the worker does (outbox.deliver), and `what_happened_since` writes what the
people did afterwards: acknowledgements (all of them, except the home manager's on the featured confirmed
participation) and both sides' feedback on completed ones. The e-mails those jobs queued went out long ago, except
the featured participations', which are left for the worker to deliver so they can be read at /dev/mail/.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from typing import Iterable

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import outbox
from portal.applications import services
from portal.participation.sweeps import ACKNOWLEDGEMENT_KIND, ACKNOWLEDGEMENT_REMINDER_DAYS
from portal.demo.applications import PATHS
from portal.mail import transport_from_settings
from portal.models import (Acknowledgement, Application, Arrangement, AuditEvent, Certificate, Feedback, OutboxMessage,
                           ReminderSent, User)
from portal.models.outbox import EMAIL, JOB
from portal.transitions import SessionRecorder
from workflows import Job, clock
from workflows.calendar import add_working_days, waited_since

PAPERWORK_EMAILS = ("arrangement", "certificate")
PARTICIPANT_SAYS = (
    "A welcoming team that trusted me with real work from the first week. I learnt more than I expected.",
    "Clear goals, good people and a chance to try methods my own team can now reuse.",
    "Well organised; I would have liked a little more time with the wider team, but I would do it again.",
)
HOST_SAYS = (
    "Brought fresh eyes and steady delivery; the team would happily host them again.",
    "Picked up our ways of working quickly and left us with work we still use.",
    "Reliable, thoughtful and generous with what they knew. A great colleague for the weeks we had them.",
)


def queue_jobs(session: Session, applications: Iterable[Application]) -> None:
    """Every job named by the transitions on each participation's path, queued as those transitions queue it."""
    recorder = SessionRecorder(session, services.KIND)
    for application in applications:
        for name in PATHS[application.state]:
            transition = services.KIND.machine.transitions.get(name)  # "apply" makes the record: no transition
            for effect in transition.effects if transition else ():
                if isinstance(effect, Job):
                    recorder.effect(application, transition, effect, services.SYSTEM, None, {})


def carry_out_jobs(database) -> None:
    """Run the queued jobs as the worker would; one a worker already holds is waited for, then left to it."""
    transport = transport_from_settings(current_app.config["SETTINGS"])
    with database.transaction() as session:
        ids = list(session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.kind == JOB, OutboxMessage.status == "pending").order_by(OutboxMessage.id)))
    for message_id in ids:
        with database.transaction() as session:
            session.scalar(select(OutboxMessage.id).where(OutboxMessage.id == message_id).with_for_update())
            outbox.deliver(session, message_id, transport)


def what_happened_since(session: Session, rng: random.Random, featured: list[Application]) -> None:
    """Date the documents when their jobs would have run; acknowledgements, feedback; past e-mails as sent."""
    now = clock.utcnow()
    featured_ids = {application.id for application in featured}
    kept: set[tuple[str, int]] = set()
    arrangements = session.execute(select(Arrangement, Application).join(Arrangement.application)
                                   .order_by(Arrangement.id)).all()
    for arrangement, application in arrangements:
        arrangement.created_at = application.manager_decided_at + timedelta(minutes=rng.randint(1, 5))
        if application.id in featured_ids:
            kept.add(("arrangement", arrangement.id))
        for ack in arrangement.acknowledgements:
            if application.id in featured_ids and ack.party == "home_manager":
                _reminded_if_due(session, arrangement, ack)
            else:
                _acknowledge(session, rng, arrangement, ack, now)
    for certificate, application in session.execute(select(Certificate, Application).join(
            Application, Application.id == Certificate.application_id).order_by(Certificate.id)).all():
        certificate.created_at = application.completed_at + timedelta(minutes=rng.randint(1, 5))
        if application.id in featured_ids:
            kept.add(("certificate", certificate.id))
        _feedback(session, rng, application, both=application.id in featured_ids or rng.random() < 0.7, now=now)
    _sent_long_ago(session, kept)


def _acknowledge(session: Session, rng: random.Random, arrangement: Arrangement, ack: Acknowledgement,
                 now: datetime) -> None:
    ack.acknowledged_at = min(arrangement.created_at + timedelta(hours=rng.uniform(1, 60)),
                              now - timedelta(minutes=rng.randint(5, 50)))
    session.add(AuditEvent(record_type="arrangement", record_id=arrangement.id, action="acknowledged",
                           actor_label="system", data={"party": ack.party, "email": ack.email},
                           created_at=ack.acknowledged_at))


def _reminded_if_due(session: Session, arrangement: Arrangement, ack: Acknowledgement) -> None:
    """An acknowledgement still owed after the reminder period was reminded about on the day it fell due."""
    if arrangement.created_at >= waited_since(ACKNOWLEDGEMENT_REMINDER_DAYS):
        return
    day = add_working_days(clock.canberra_date(arrangement.created_at), ACKNOWLEDGEMENT_REMINDER_DAYS)
    sent = datetime.combine(day, time(8), tzinfo=clock.CANBERRA).astimezone(timezone.utc)
    session.add(ReminderSent(kind=ACKNOWLEDGEMENT_KIND, record_id=ack.id, step=1, sent_at=sent))


def _feedback(session: Session, rng: random.Random, application: Application, both: bool, now: datetime) -> None:
    opportunity = application.opportunity
    shared = [s.id for s in opportunity.skills if s in application.applicant.skills]
    sides = [("participant", application.applicant, PARTICIPANT_SAYS, [])]
    if both:
        sides.append(("owner", opportunity.owner, HOST_SAYS, shared[:2]))
    for role, author, says, endorsed in sides:
        at = min(application.completed_at + timedelta(hours=rng.uniform(2, 96)), now - timedelta(minutes=5))
        rating = rng.choice([4, 5, 5])
        session.add(Feedback(application_id=application.id, author_role=role, author_id=author.id, rating=rating,
                             comment=rng.choice(says), endorsed_skill_ids=endorsed, created_at=at))
        session.add(AuditEvent(record_type="application", record_id=application.id, action="feedback",
                               actor_id=author.id, actor_label=author.email, created_at=at,
                               data={"author_role": role, "rating": rating}))


def _sent_long_ago(session: Session, kept: set[tuple[str, int]]) -> None:
    """The paperwork e-mails of the seeded past count as sent; the featured participations' stay for the worker."""
    pending = session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == EMAIL, OutboxMessage.status == "pending", OutboxMessage.template.in_(PAPERWORK_EMAILS)))
    done = [m.id for m in pending if not {(a["kind"], a["id"]) for a in m.attachments} & kept]
    if done:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(done), OutboxMessage.status == "pending")
                        .values(status="sent", sent_at=OutboxMessage.created_at))


def featured_participations(session: Session, wanted: dict[str, str]) -> list[Application]:
    """Each demo login's latest participation in the state `wanted` gives them (e-mail: state)."""
    found = []
    for email, state in wanted.items():
        application = session.scalar(select(Application).join(Application.applicant).where(
            User.email == email, Application.state == state).order_by(Application.manager_decided_at.desc()).limit(1))
        if application is not None:
            found.append(application)
    return found

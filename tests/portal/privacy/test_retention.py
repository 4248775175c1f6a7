"""The retention sweep: with the clock moved past the retention periods, every personal field is gone and the
reports' totals are what they were."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import LargeBinary, String, Text, JSON, select

from portal.applications import cv
from portal.models import (Acknowledgement, Application, Arrangement, Base, Certificate, Feedback, User)
from portal.privacy.closing import close_account
from portal.privacy.retention import anonymise_expired
from portal.reports import dashboard
from portal.reports.scope import Scope
from portal.transitions import apply
from portal.applications.services import KIND, actor_for
from tests.support import factories
from workflows import clock

EVERYTHING = Scope(date(2020, 1, 1), date(2040, 12, 31), None)
PARTICIPANT = ("Pania Participant", "pania.participant@ato.gov.au", "I have run user research for five years.")
QUITTER = ("Quinn Quitter", "quinn.quitter@dss.gov.au", "Data pipelines are my thing.")
HOME_MANAGER = ("Hemi Homemanager", "hemi.homemanager@ato.gov.au")


def _world(session, settings):
    owner = factories.user(session, name="Olive Owner")
    pania = factories.user(session, name=PARTICIPANT[0], email=PARTICIPANT[1], agency_abbreviation="ATO")
    quinn = factories.user(session, name=QUITTER[0], email=QUITTER[1], agency_abbreviation="DSS")
    pania.skills = quinn.skills = factories.skills(session)[:2]
    opportunity = factories.ended(factories.open_opportunity(session, owner, positions=2))
    done = Application(opportunity=opportunity, applicant=pania, state="confirmed", statement=PARTICIPANT[2],
                       availability="Tuesdays", home_manager_name=HOME_MANAGER[0], home_manager_email=HOME_MANAGER[1],
                       cv_filename="pania.pdf", cv_path=cv.store(settings, b"%PDF-1.4 Pania's CV"),
                       manager_comment=f"Go for it, {PARTICIPANT[0]}")
    left = Application(opportunity=opportunity, applicant=quinn, state="applied", statement=QUITTER[2],
                       home_manager_name="Manager of Quinn", home_manager_email="quinn.manager@dss.gov.au")
    session.add_all([done, left])
    session.flush()
    arrangement = Arrangement(application_id=done.id, reference="IA-1", pdf=f"%PDF {PARTICIPANT[0]}".encode())
    session.add(arrangement)
    session.flush()
    for party, name, email in (("participant", *PARTICIPANT[:2]), ("home_manager", *HOME_MANAGER),
                               ("host_manager", owner.name, owner.email)):
        session.add(Acknowledgement(arrangement_id=arrangement.id, party=party, name=name, email=email))
    apply(session, KIND, done, "complete", actor_for(owner, done), reason=f"Thank you {PARTICIPANT[0]}")
    session.add(Certificate(application_id=done.id, reference="CC-1", pdf=f"%PDF {PARTICIPANT[0]}".encode()))
    session.add(Feedback(application_id=done.id, author_role="owner", author_id=owner.id, rating=5,
                         comment=f"{PARTICIPANT[0]} was great"))
    session.add(Feedback(application_id=done.id, author_role="participant", author_id=pania.id, rating=4,
                         comment="I learnt a lot, Pania here"))
    apply(session, KIND, left, "withdraw", actor_for(quinn, left), reason=f"{QUITTER[0]} has too much on")
    close_account(session, pania)
    session.commit()
    return pania, quinn, done, left


def _personal_values_left(session, *secrets: str) -> list[str]:
    """Every stored text, JSON or binary value in every table that still contains one of `secrets`."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON, LargeBinary))]
        for row in session.execute(select(*columns)) if columns else []:
            for column, value in zip(columns, row):
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                found += [f"{table.name}.{column.name}: {secret}" for secret in secrets if secret in text]
    return found


def test_after_the_retention_periods_no_personal_field_is_left_and_report_totals_are_unchanged(session, settings):
    pania, quinn, done, left = _world(session, settings)
    cv_file = cv.path_of(settings, done.cv_path)
    before = dashboard.sections(session, EVERYTHING)
    secrets = (*PARTICIPANT, *HOME_MANAGER, QUITTER[2], "Pania here", "Tuesdays")
    held = _personal_values_left(session, *secrets)
    assert {"users.email: " + PARTICIPANT[1], "audit_events.reason: " + PARTICIPANT[0],
            "outbox_messages.context: " + PARTICIPANT[0], "arrangements.pdf: " + PARTICIPANT[0]} <= set(held)

    with clock.moved_by(timedelta(days=7 * 365 + 1)):
        lines = anonymise_expired(session, False)
        session.commit()

    assert f"account {pania.id} anonymised" in lines
    session.expire_all()
    assert _personal_values_left(session, *secrets) == []
    assert not cv_file.exists()
    assert session.get(Application, done.id).state == "completed" and session.get(Application, left.id).state == "withdrawn"
    assert dashboard.sections(session, EVERYTHING) == before
    assert session.get(User, quinn.id).email == QUITTER[1]  # still using the portal: their account stays


def test_an_application_that_never_went_ahead_goes_after_two_years_a_participation_after_seven(session, settings):
    pania, quinn, done, left = _world(session, settings)

    with clock.moved_by(timedelta(days=2 * 365 + 1)):
        anonymise_expired(session, False)
        session.commit()

    session.expire_all()
    assert session.get(Application, left.id).statement == ""
    assert session.get(Application, done.id).statement == PARTICIPANT[2]
    assert session.get(User, pania.id).email == PARTICIPANT[1]  # took part: kept for seven years


def test_a_dry_run_lists_what_would_go_and_changes_nothing(session, settings):
    pania, quinn, done, left = _world(session, settings)

    with clock.moved_by(timedelta(days=7 * 365 + 1)):
        lines = anonymise_expired(session, True)
        session.rollback()

    assert f"application {left.id} (withdrawn) anonymised" in lines
    session.expire_all()
    assert session.get(User, pania.id).name == PARTICIPANT[0]

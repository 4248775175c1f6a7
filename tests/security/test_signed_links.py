"""Every kind of e-mailed link: tampered, expired, replayed, or opened by someone signed in as another
person. Each refusal is a clear page that changes nothing; a good link acts only for the person and the
record it names, whatever the session says. The links are made by the features' own code."""
from __future__ import annotations

import string
import time
from dataclasses import dataclass
from typing import Callable

import pytest
from itsdangerous import TimestampSigner
from itsdangerous.encoding import base64_decode
from sqlalchemy import func, select

from portal import transitions
from portal.accounts import services as accounts
from portal.accounts.passwords import verify_password
from portal.applications import services as applications
from portal.participation import paperwork
from portal.models import (Acknowledgement, Application, Arrangement, AuditEvent, NotificationPreference,
                           OutboxMessage, User)
from portal import notices as notifications
from portal.opportunities import records
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock

NEW_PASSWORD = "a brand new password for this"


@dataclass
class Issued:
    """A link as it was e-mailed, how to act on it, and how to see what it changed."""
    path: str
    act: dict | None              # form data that acts on it; None: opening it acts (confirming an address)
    acted: Callable[[], bool]     # has the link done its job to the record it names?
    state: Callable[[], tuple]    # everything the link could change, to prove a refusal changed nothing
    max_age: int                  # seconds the link lives


def _path(session, template: str, recipient: str) -> str:
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.template == template,
                                                         OutboxMessage.recipient == recipient)
                             .order_by(OutboxMessage.id.desc()))
    return "/" + message.context["link"].split("/", 3)[3]


def _audit(session, record_type: str, record_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.record_type == record_type, AuditEvent.record_id == record_id))


def _fresh(session, model, key):
    session.expire_all()
    return session.get(model, key)


def verify_link(session, settings) -> Issued:
    person = factories.user(session, email="vera.verify@dta.gov.au", verified=False)
    accounts.send_verification(session, person)
    session.commit()
    return Issued(_path(session, "verify_email", person.email), None,
                  lambda: _fresh(session, User, person.id).verified_at is not None,
                  lambda: (_fresh(session, User, person.id).verified_at, _audit(session, "user", person.id)),
                  settings.link_max_age_days * 86400)


def reset_link(session, settings) -> Issued:
    person = factories.user(session, email="rex.reset@dta.gov.au")
    accounts.send_password_reset(session, {"email": person.email})
    session.commit()
    return Issued(_path(session, "reset_password", person.email), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                  lambda: verify_password(_fresh(session, User, person.id).password_hash, NEW_PASSWORD),
                  lambda: (_fresh(session, User, person.id).password_hash, session.get(User, person.id).session_version),
                  3600)


def approval_link(session, settings) -> Issued:
    owner = factories.user(session, email="olive.owner@dta.gov.au")
    opportunity = factories.opportunity(session, owner, state="approval")
    session.commit()
    path = "/" + records.approval_link(opportunity).split("/", 3)[3]
    return Issued(path, {"decision": "approve"},
                  lambda: _fresh(session, type(opportunity), opportunity.id).state == "open",
                  lambda: (_fresh(session, type(opportunity), opportunity.id).state,
                           session.get(type(opportunity), opportunity.id).version,
                           _audit(session, "opportunity", opportunity.id)),
                  settings.link_max_age_days * 86400)


def _confirmed_place(session, state: str) -> Application:
    owner = factories.user(session, email="olive.owner@dta.gov.au")
    applicant = factories.user(session, email="ari.applicant@ato.gov.au", agency_abbreviation="ATO")
    opportunity = factories.open_opportunity(session, owner, positions=2)
    application = Application(opportunity=opportunity, applicant=applicant, state=state, statement="Keen.",
                              home_manager_name="Hana Manager", home_manager_email="hana.manager@ato.gov.au",
                              manager_requested_at=clock.utcnow(), decided_at=clock.utcnow())
    session.add(application)
    session.flush()
    return application


def home_manager_link(session, settings) -> Issued:
    application = _confirmed_place(session, "selected")
    transitions.apply(session, applications.KIND, application, "request_manager_approval", applications.SYSTEM)
    session.commit()
    return Issued(_path(session, "home_manager_request", "hana.manager@ato.gov.au"), {"decision": "decline"},
                  lambda: _fresh(session, Application, application.id).state == "manager_declined",
                  lambda: (_fresh(session, Application, application.id).state,
                           session.get(Application, application.id).version,
                           _audit(session, "application", application.id)),
                  applications.HOME_MANAGER_LINK.max_age_seconds)


def acknowledgement_link(session, settings) -> Issued:
    application = _confirmed_place(session, "confirmed")
    arrangement = Arrangement(application_id=application.id, reference="IA-LINK-1", pdf=b"%PDF-1.4 links",
                              start_date=application.opportunity.start_date, end_date=application.opportunity.end_date)
    session.add(arrangement)
    session.flush()
    acks = [Acknowledgement(arrangement_id=arrangement.id, party=party, name=name, email=email)
            for party, name, email in (("participant", "Ari", "ari.applicant@ato.gov.au"),
                                       ("home_manager", "Hana Manager", "hana.manager@ato.gov.au"),
                                       ("host_manager", "Olive", "olive.owner@dta.gov.au"))]
    session.add_all(acks)
    session.flush()
    paperwork.send_for_acknowledgement(session, application, arrangement, acks[0], step=0)
    session.commit()

    def state() -> tuple:
        session.expire_all()
        return tuple(session.scalars(select(Acknowledgement.acknowledged_at)
                                     .where(Acknowledgement.arrangement_id == arrangement.id)
                                     .order_by(Acknowledgement.id)))
    return Issued(_path(session, "arrangement", "ari.applicant@ato.gov.au"), {},
                  lambda: state()[0] is not None, state, paperwork.ACK_LINK_DAYS * 86400)


KINDS = {"verify e-mail": verify_link, "reset password": reset_link, "opportunity approval": approval_link,
         "home-manager decision": home_manager_link, "arrangement acknowledgement": acknowledgement_link}


@pytest.fixture(params=list(KINDS))
def issued(request, session, settings) -> Issued:
    return KINDS[request.param](session, settings)


def _use(web, issued: Issued):
    if issued.act is None:
        return web.get(issued.path)
    web.get(issued.path)
    return web.post(issued.path, issued.act)


def _tampered(path: str) -> str:
    head, token = path.rsplit("/", 1)
    swap = "B" if token[5] != "B" else "C"  # inside the signed payload: every bit of it counts
    return f"{head}/{token[:5]}{swap}{token[6:]}"


def _refused(response, status: int, words: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == status and words in page, (response.status_code, page[:300])
    assert "Traceback" not in page


def test_a_good_link_does_its_job(web, issued):
    response = _use(web, issued)

    assert response.status_code in (200, 302) and issued.acted()


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(web, issued):
    before = issued.state()
    path = _tampered(issued.path)

    _refused(web.get(path), 400, "This link is not valid")
    if issued.act is not None:
        _refused(web.post(path, issued.act), 400, "This link is not valid")
    assert issued.state() == before


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(web, issued, monkeypatch):
    before = issued.state()
    later = int(time.time()) + issued.max_age + 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)

    _refused(web.get(issued.path), 410, "This link has expired")
    if issued.act is not None:
        _refused(web.post(issued.path, issued.act), 410, "This link has expired")
    assert issued.state() == before


def test_a_used_link_cannot_be_replayed(web, issued):
    _use(web, issued)
    after_first_use = issued.state()

    _refused(web.get(issued.path), 410, "This link has already been used")
    if issued.act is not None:
        _refused(web.post(issued.path, issued.act), 410, "This link has already been used")
    assert issued.state() == after_first_use


URLSAFE_BASE64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def _rewritten(path: str) -> list[str]:
    """The same signed link written differently: the spare low bits of the signature's last character
    set otherwise, and extra padding. Base64 decoding accepts each as the very same signature."""
    head, token = path.rsplit("/", 1)
    payload, signature = token.rsplit(".", 1)
    last = URLSAFE_BASE64.index(signature[-1])
    signatures = [signature[:-1] + URLSAFE_BASE64[last ^ spare] for spare in (1, 2, 3)]
    signatures += [signature + "=", signature + "==", signature[:-1] + URLSAFE_BASE64[last ^ 1] + "="]
    assert all(base64_decode(s) == base64_decode(signature) for s in signatures)
    return [f"{head}/{payload}.{s}" for s in signatures]


def test_a_used_link_written_differently_is_still_used(web, issued):
    _use(web, issued)
    after_first_use = issued.state()

    for path in _rewritten(issued.path):
        _refused(web.get(path), 410, "This link has already been used")
        if issued.act is not None:
            _refused(web.post(path, issued.act), 410, "This link has already been used")
    assert issued.state() == after_first_use


def test_a_link_written_differently_is_the_same_link_until_used(web, issued):
    rewritten = _rewritten(issued.path)[0]

    assert _use(web, Issued(rewritten, issued.act, issued.acted, issued.state, issued.max_age)).status_code in (200, 302)
    assert issued.acted()
    _refused(web.get(issued.path), 410, "This link has already been used")


def test_a_link_acts_for_the_record_it_names_not_for_whoever_is_signed_in(web, session, issued):
    someone_else = factories.user(session, email="sam.else@dta.gov.au", site_admin=True)
    session.commit()
    sign_in(web, someone_else)
    theirs = (someone_else.password_hash, someone_else.session_version, someone_else.verified_at)

    _use(web, issued)

    assert issued.acted()
    me = _fresh(session, User, someone_else.id)
    assert (me.password_hash, me.session_version, me.verified_at) == theirs
    by_me = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.actor_id == me.id))
    assert by_me == 0, "the session's person got the credit (and the power) for a link they merely opened"


# One-click unsubscribe (RFC 8058) is the deliberate exception to expiry and single use: a
# List-Unsubscribe link must keep working for as long as the e-mail exists, and using it twice can only
# switch off again what it already switched off.

def _unsubscribe_path(person) -> str:
    return f"/notifications/unsubscribe/{notifications.unsubscribe_token(person.id, 'digests')}"


def _mode(session, person) -> str | None:
    session.expire_all()
    return session.scalar(select(NotificationPreference.mode).where(NotificationPreference.user_id == person.id,
                                                                    NotificationPreference.category == "digests"))


def test_a_tampered_unsubscribe_link_shows_the_clear_page_and_changes_nothing(client, session):
    person = factories.user(session)
    session.commit()

    response = client.post(_tampered(_unsubscribe_path(person)), data={"List-Unsubscribe": "One-Click"})

    _refused(response, 400, "This link is not valid")
    assert _mode(session, person) is None


def test_an_unsubscribe_link_switches_off_only_its_own_person_whoever_is_signed_in(web, session):
    person, signed_in_as = factories.user(session), factories.user(session)
    session.commit()
    sign_in(web, signed_in_as)

    response = web.post(_unsubscribe_path(person), {"List-Unsubscribe": "One-Click"}, csrf=False)

    assert response.status_code == 200
    assert (_mode(session, person), _mode(session, signed_in_as)) == ("off", None)


def test_using_an_unsubscribe_link_again_changes_nothing_more(client, session):
    person = factories.user(session)
    session.commit()
    client.post(_unsubscribe_path(person), data={"List-Unsubscribe": "One-Click"})
    rows = session.scalar(select(func.count()).select_from(NotificationPreference))

    again = client.post(_unsubscribe_path(person), data={"List-Unsubscribe": "One-Click"})

    assert again.status_code == 200 and _mode(session, person) == "off"
    assert session.scalar(select(func.count()).select_from(NotificationPreference)) == rows

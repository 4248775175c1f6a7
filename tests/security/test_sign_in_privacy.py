"""Signing in and asking for a new password must not tell a stranger which addresses have accounts."""
from __future__ import annotations

import re
import time

from sqlalchemy import func, select

from portal import outbox
from portal.accounts import services
from portal.extensions import db as database
from portal.models import Agency, OutboxMessage
from workflows import Refused
from tests.support.factories import PASSWORD
from tests.support.smtp import text_of

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+"')


def _page(response, address: str) -> tuple[int, str]:
    """What the person sees, with the address they typed and the form's one-time token blanked out."""
    return response.status_code, TOKEN.sub(r'\1"', response.get_data(as_text=True)).replace(address, "ADDRESS")


def _sign_in(web, email: str, password: str = "wrong password here"):
    return web.submit("/sign-in", {"email": email, "password": password})


def test_wrong_password_and_unknown_address_give_the_same_page(web, make_user):
    make_user(email="known.person@dta.gov.au")

    known = _page(_sign_in(web, "known.person@dta.gov.au"), "known.person@dta.gov.au")
    unknown = _page(_sign_in(web, "nobody.here@dta.gov.au"), "nobody.here@dta.gov.au")

    assert known[0] == 422 and known == unknown


def test_a_locked_account_looks_the_same_as_an_address_without_an_account(web, make_user):
    make_user(email="known.person@dta.gov.au")
    for _ in range(services.MAX_FAILURES):
        _sign_in(web, "known.person@dta.gov.au")
        _sign_in(web, "nobody.here@dta.gov.au")

    locked = _page(_sign_in(web, "known.person@dta.gov.au", PASSWORD), "known.person@dta.gov.au")
    unknown = _page(_sign_in(web, "nobody.here@dta.gov.au", PASSWORD), "nobody.here@dta.gov.au")

    assert locked == unknown and "locked for 15 minutes" in locked[1]


def test_an_unknown_address_costs_the_same_password_check_as_a_known_one(session, make_user, monkeypatch):
    make_user(email="known.person@dta.gov.au")
    checked = []
    real = services.verify_password
    monkeypatch.setattr(services, "verify_password", lambda stored, given: checked.append(stored) or real(stored, given))

    for address in ("known.person@dta.gov.au", "nobody.here@dta.gov.au"):
        try:
            services.authenticate(session, address, "wrong password here")
        except Refused:
            pass
    session.rollback()

    assert len(checked) == 2 and checked[0] is not None and checked[1] is None


def test_password_reset_answers_known_unknown_and_disabled_addresses_alike(web, make_user, session, mailbox):
    from workflows import clock

    make_user(email="known.person@dta.gov.au")
    disabled = make_user(email="disabled.person@dta.gov.au")
    disabled.disabled_at = clock.utcnow()
    session.commit()

    pages = {address: _page(web.submit("/forgot-password", {"email": address}), address)
             for address in ("known.person@dta.gov.au", "nobody.here@dta.gov.au", "disabled.person@dta.gov.au")}

    assert len(set(pages.values())) == 1 and next(iter(pages.values()))[0] == 200
    mailbox.wait_for_to("known.person@dta.gov.au", "Reset your")
    session.expire_all()
    assert [m.recipient for m in session.query(OutboxMessage).filter_by(template="reset_password")] == \
        ["known.person@dta.gov.au"]


def test_password_reset_answers_before_looking_the_address_up(web, make_user, session, mailbox, monkeypatch):
    """Each request commits the same one row, a job, and the answer goes out before the worker runs it:
    whether a reset e-mail follows cannot change how long the answer takes."""
    make_user(email="known.person@dta.gov.au")
    published: list[list[int]] = []
    deliver = outbox.publisher(database.session_factory)
    outbox.publish_after_commit(database.session_factory, published.append)

    for address in ("known.person@dta.gov.au", "nobody.here@dta.gov.au"):
        web.submit("/forgot-password", {"email": address})

    session.expire_all()
    queued = [[(session.get(OutboxMessage, i).kind, session.get(OutboxMessage, i).template) for i in ids]
              for ids in published]
    assert queued == [[("job", "password-reset")], [("job", "password-reset")]]
    outbox.publish_after_commit(database.session_factory, deliver)  # the jobs' own e-mails go out as usual
    for ids in published:
        deliver(ids)
    assert "/reset-password/" in text_of(mailbox.wait_for_to("known.person@dta.gov.au", "Reset your"))
    _wait_until_done(session, [i for ids in published for i in ids])
    assert session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.template == "reset_password")) == 1
    assert mailbox.to("nobody.here@dta.gov.au") == []


def _wait_until_done(session, ids: list[int], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        if all(session.get(OutboxMessage, i).status == "sent" for i in ids):
            return
        time.sleep(0.1)
    raise AssertionError("the queued jobs did not run")


def _register(web, session, email: str):
    agency_id = session.scalar(select(Agency.id).where(Agency.abbreviation == "DTA"))
    return web.submit("/register", {"name": "Alex Citizen", "email": email, "agency_id": str(agency_id),
                                    "password": "a long enough password", "confirm": "a long enough password"})


def test_registration_answers_a_known_and_an_unknown_address_alike(web, make_user, session, mailbox):
    make_user(email="known.person@dta.gov.au")

    known = _page(_register(web, session, "known.person@dta.gov.au"), "known.person@dta.gov.au")
    unknown = _page(_register(web, session, "nobody.here@dta.gov.au"), "nobody.here@dta.gov.au")

    assert known == unknown and known[0] == 200
    assert "already has an account" in text_of(mailbox.wait_for_to("known.person@dta.gov.au", "already have"))
    mailbox.wait_for_to("nobody.here@dta.gov.au", "Confirm your e-mail")


def test_registration_does_the_same_work_for_a_known_and_an_unknown_address(web, make_user, session, monkeypatch):
    make_user(email="known.person@dta.gov.au")
    hashed: list[str] = []
    real = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda password: hashed.append(password) or real(password))
    work = []

    for address in ("known.person@dta.gov.au", "nobody.here@dta.gov.au"):
        rows_before, hashes_before = _outbox_rows(session), len(hashed)
        _register(web, session, address)
        work.append((len(hashed) - hashes_before, _outbox_rows(session) - rows_before))

    assert work == [(1, 1), (1, 1)], "one password hashed and one e-mail queued on both paths"


def _outbox_rows(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(OutboxMessage))

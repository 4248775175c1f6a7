"""Signing in and asking for a new password must not tell a stranger which addresses have accounts."""
from __future__ import annotations

import re

from portal.accounts import services
from portal.models import OutboxMessage
from workflows import Refused
from tests.support.factories import PASSWORD

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


def test_password_reset_answers_known_unknown_and_disabled_addresses_alike(web, make_user, session):
    from workflows import clock

    make_user(email="known.person@dta.gov.au")
    disabled = make_user(email="disabled.person@dta.gov.au")
    disabled.disabled_at = clock.utcnow()
    session.commit()

    pages = {address: _page(web.submit("/forgot-password", {"email": address}), address)
             for address in ("known.person@dta.gov.au", "nobody.here@dta.gov.au", "disabled.person@dta.gov.au")}

    assert len(set(pages.values())) == 1 and next(iter(pages.values()))[0] == 200
    session.expire_all()
    assert [m.recipient for m in session.query(OutboxMessage).filter_by(template="reset_password")] == \
        ["known.person@dta.gov.au"]

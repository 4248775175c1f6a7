"""Misuse of the ways an account gets its address and agency: registering, confirming, moving agency or
resetting a password for an address one does not control, and links replayed, swapped between accounts, used
after the address changed or opened by another signed-in person. Each is refused clearly and changes nothing."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.accounts import services
from portal.models import Agency, User
from tests.conftest import sign_in
from tests.support import factories
from tests.support.smtp import text_of
from tests.support.web import Web

MOVE_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/profile/agency/[\w.\-]+)")
VERIFY_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/verify/[\w.\-]+)")
RESET_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/reset-password/[\w.\-]+)")


def _browser(app, person) -> Web:
    web = Web(app.test_client())
    sign_in(web, person)
    return web


def _move_link(web, mailbox, new_email: str) -> str:
    assert web.submit("/profile/agency", {"email": new_email, "agency_id": "0"}).status_code == 302
    return MOVE_LINK.search(text_of(mailbox.wait_for_to(new_email, "new e-mail address"))).group(1)


def _state(session, *people: User) -> list[tuple[str, int | None, bool]]:
    session.expire_all()
    return [(p.email, p.agency_id, p.is_contractor) for p in (session.get(User, p.id) for p in people)]


def test_agency_move_link_opened_by_another_signed_in_person_is_refused(app, session, make_user, mailbox):
    owner, intruder = make_user(email="dana@dta.gov.au"), make_user(email="eve@dta.gov.au")
    path = _move_link(_browser(app, owner), mailbox, "dana@ato.gov.au")
    before = _state(session, owner, intruder)

    response = _browser(app, intruder).get(path)

    assert response.status_code == 403
    assert "sent to somebody else" in response.get_data(as_text=True)
    assert _state(session, owner, intruder) == before


def test_agency_move_links_swapped_between_two_accounts_are_refused(app, session, make_user, mailbox):
    dana, eve = make_user(email="dana@dta.gov.au"), make_user(email="eve@dta.gov.au")
    danas_browser, eves_browser = _browser(app, dana), _browser(app, eve)
    danas_link = _move_link(danas_browser, mailbox, "dana@ato.gov.au")
    eves_link = _move_link(eves_browser, mailbox, "eve@abs.gov.au")
    before = _state(session, dana, eve)

    assert danas_browser.get(eves_link).status_code == 403
    assert eves_browser.get(danas_link).status_code == 403
    assert _state(session, dana, eve) == before


def test_agency_move_link_cannot_be_replayed(app, session, make_user, mailbox):
    dana = make_user(email="dana@dta.gov.au")
    browser = _browser(app, dana)
    path = _move_link(browser, mailbox, "dana@ato.gov.au")
    assert browser.get(path).status_code == 302
    after_first = _state(session, dana)

    again = browser.get(path)

    assert again.status_code == 410
    assert _state(session, dana) == after_first


def test_agency_move_link_used_after_the_address_changed_is_refused(app, session, make_user, mailbox):
    dana = make_user(email="dana@dta.gov.au")
    browser = _browser(app, dana)
    to_ato = _move_link(browser, mailbox, "dana@ato.gov.au")
    to_abs = _move_link(browser, mailbox, "dana@abs.gov.au")
    assert browser.get(to_ato).status_code == 302

    response = browser.get(to_abs)

    assert response.status_code == 410
    assert _state(session, dana) == [("dana@ato.gov.au", factories.agency(session, "ATO").id, False)]


def test_agency_move_link_opened_while_signed_out_asks_to_sign_in_and_changes_nothing(app, session, make_user,
                                                                                     mailbox, client):
    dana = make_user(email="dana@dta.gov.au")
    path = _move_link(_browser(app, dana), mailbox, "dana@ato.gov.au")
    before = _state(session, dana)

    response = client.get(path)

    assert response.status_code == 302 and "/sign-in" in response.location
    assert _state(session, dana) == before


def test_moving_to_an_address_one_does_not_control_only_mails_that_address(app, session, make_user, mailbox):
    eve = make_user(email="eve@dta.gov.au")
    browser = _browser(app, eve)

    browser.submit("/profile/agency", {"email": "someone.else@ato.gov.au", "agency_id": "0"})

    mailbox.wait_for_to("someone.else@ato.gov.au")
    assert all("<someone.else@ato.gov.au>" in m["To"] for m in mailbox.messages) and len(mailbox.messages) == 1
    assert _state(session, eve) == [("eve@dta.gov.au", factories.agency(session, "DTA").id, False)]


def test_confirmation_link_used_after_the_address_changed_is_refused(app, session, make_user, mailbox):
    dana = make_user(email="dana@dta.gov.au", verified=False)
    services.send_verification(session, dana)
    session.commit()
    old_link = VERIFY_LINK.search(text_of(mailbox.wait_for_to("dana@dta.gov.au"))).group(1)
    dana.email = "dana@ato.gov.au"  # as a confirmed move leaves it
    session.commit()

    response = Web(app.test_client()).get(old_link)

    assert response.status_code == 400
    session.refresh(dana)
    assert dana.verified_at is None


def test_confirmation_links_swapped_between_two_accounts_confirm_only_their_own(app, session, make_user, mailbox):
    dana = make_user(email="dana@dta.gov.au", verified=False)
    eve = make_user(email="eve@dta.gov.au", verified=False)
    services.send_verification(session, dana)
    session.commit()
    danas_link = VERIFY_LINK.search(text_of(mailbox.wait_for_to("dana@dta.gov.au"))).group(1)

    _browser(app, eve).get(danas_link)  # Eve, signed in, opens Dana's link

    session.expire_all()
    assert session.get(User, eve.id).verified_at is None, "Eve's address is still unconfirmed"


def test_password_reset_link_for_an_address_the_account_no_longer_has_is_refused(app, session, make_user, mailbox):
    dana = make_user(email="dana@dta.gov.au")
    services.request_password_reset(session, "dana@dta.gov.au")
    session.commit()
    link = RESET_LINK.search(text_of(mailbox.wait_for_to("dana@dta.gov.au"))).group(1)
    dana.email = "dana@ato.gov.au"
    session.commit()

    response = Web(app.test_client()).get(link)

    assert response.status_code == 410


def test_password_reset_for_someone_elses_address_only_mails_them(app, session, make_user, mailbox, web):
    victim = make_user(email="victim@ato.gov.au")
    make_user(email="eve@dta.gov.au")
    hash_before = victim.password_hash

    web.submit("/forgot-password", {"email": "victim@ato.gov.au"})

    mailbox.wait_for_to("victim@ato.gov.au")
    assert all("<victim@ato.gov.au>" in m["To"] for m in mailbox.messages) and len(mailbox.messages) == 1
    session.refresh(victim)
    assert victim.password_hash == hash_before


def test_registering_someone_elses_address_gives_no_access_to_their_agency(app, session, make_user, web, mailbox):
    owner = make_user(email="owner@ato.gov.au", agency_abbreviation="ATO")
    restricted = factories.open_opportunity(session, owner, restricted_to_agency=True, title="ATO staff only")
    session.commit()
    web.submit("/register", {"name": "Eve Intruder", "email": "victim@ato.gov.au", "password": "a long enough password",
                             "confirm": "a long enough password"})

    page = web.get(f"/opportunities/{restricted.id}")
    search = web.get("/opportunities?q=ATO+staff+only")

    assert page.status_code == 302 and "/sign-in" in page.location  # registering signs nobody in
    assert search.status_code == 302
    assert "<victim@ato.gov.au>" in mailbox.wait_for_to("victim@ato.gov.au")["To"]
    assert session.scalar(select(User.verified_at).where(User.email == "victim@ato.gov.au")) is None


def test_an_unknown_agency_id_in_the_registration_form_is_ignored(web, session):
    other = session.scalar(select(Agency).where(Agency.abbreviation == "ATO"))

    web.submit("/register", {"name": "Eve", "email": "eve@dta.gov.au", "agency_id": str(other.id),
                             "password": "a long enough password", "confirm": "a long enough password"})

    assert session.scalar(select(User).where(User.email == "eve@dta.gov.au")).agency.abbreviation == "DTA"

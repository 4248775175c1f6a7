"""Signing in through an agency's identity provider in a real browser: the real oidc-provider's pages on
loopback, the portal's pages checked by axe on the way, and each forged or refused reply turned away."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

import support
from portal.models import LinkedIdentity, User
from tests.support import factories
from tests.support.oidc import add_provider


@pytest.fixture
def provider(session, settings, oidc_provider):
    yield add_provider(session, settings, oidc_provider.issuer, name="Australian Public Service Identity")
    oidc_provider.misbehave("normal")


def _at_provider(page, login: str) -> None:
    """From the portal's sign-in page to the provider's, and back after logging in there."""
    page.goto("/sign-in")
    page.get_by_role("link", name="Sign in with Australian Public Service Identity").click()
    page.wait_for_url("**/interaction/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def _held_callback(page, login: str) -> str:
    """Log in at the provider but keep its reply from the portal: the address it sends the browser back to.
    (Playwright routes only the first request of a navigation, so the login form's POST is the one held:
    its redirects are followed here, with the browser's cookies, up to the portal's door.)"""
    held: list[str] = []

    def is_login(url: str) -> bool:
        return urlsplit(url).path.startswith("/interaction/")

    def hold(route):
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        location = response.headers["location"]
        while urlsplit(location).path != "/sign-in/callback":
            location = page.request.get(location, max_redirects=0).headers["location"]
        held.append(location)
        route.fulfill(status=204)
    page.route(is_login, hold)
    _at_provider(page, login)
    page.unroute(is_login)
    assert held, page.url
    return held[0]


def _person(session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def test_a_person_signs_in_with_their_agency_lands_in_it_and_signs_out_of_both(page, session, provider, live_server):
    page.goto("/sign-in")
    support.visit(page, "agency_sign_in_1_sign_in_page")

    _at_provider(page, "alice")

    assert page.get_by_role("button", name="Sign out").is_visible()
    alice = _person(session, "alice.ng@ato.gov.au")
    assert alice.agency.abbreviation == "ATO" and alice.password_hash is None
    page.goto("/profile")
    assert f"{alice.agency.name}, taken from your e-mail address" in page.locator("main").inner_text()
    support.visit(page, "agency_sign_in_2_profile")

    support.sign_out(page)
    assert page.url.startswith(provider.issuer + "/session/end")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(lambda url: url.startswith(f"{live_server}/?"))
    assert "You have signed out" in page.content()
    assert not page.get_by_role("button", name="Sign out").is_visible()


def test_a_second_sign_in_links_the_existing_password_account(page, session, provider):
    devi = factories.user(session, name="Devi Rao", email="devi.rao@dta.gov.au")
    session.commit()

    _at_provider(page, "devi")

    assert page.get_by_role("button", name="Sign out").is_visible()
    session.expire_all()
    assert session.scalar(select(LinkedIdentity.user_id).where(LinkedIdentity.subject == "devi")) == devi.id
    assert len(list(session.scalars(select(User).where(User.email == devi.email)))) == 1


@pytest.mark.parametrize("login, heading", [
    ("olly", "Your address is not one this sign-in serves"),
    ("uma", "Your e-mail address is not confirmed"),
])
def test_an_address_the_provider_cannot_vouch_for_is_refused_in_plain_words(page, session, provider, login, heading):
    _at_provider(page, login)

    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert not page.get_by_role("button", name="Sign out").is_visible()
    support.visit(page, f"agency_sign_in_refused_{login}")


@pytest.mark.parametrize("mode", ["rogue-key", "wrong-issuer"])
def test_a_forged_id_token_is_refused(page, session, provider, oidc_provider, mode):
    oidc_provider.misbehave(mode)

    _at_provider(page, "alice")

    assert page.get_by_role("heading", level=1).inner_text() == "We could not confirm who you are"
    assert _person(session, "alice.ng@ato.gov.au") is None
    support.visit(page, f"agency_sign_in_refused_{mode}")


def test_a_tampered_state_is_refused(page, session, provider):
    callback = _held_callback(page, "alice")
    state = parse_qs(urlsplit(callback).query)["state"][0]

    page.goto(callback.replace(f"state={state}", "state=forged" + state[6:]))

    assert page.get_by_role("heading", level=1).inner_text() == "This sign-in could not be finished"
    assert _person(session, "alice.ng@ato.gov.au") is None
    support.visit(page, "agency_sign_in_refused_state")


def test_a_replayed_code_is_refused(page, context, session, provider, browser, live_server):
    callback = _held_callback(page, "alice")
    page.goto(callback)
    assert page.get_by_role("button", name="Sign out").is_visible()

    other = browser.new_context(base_url=live_server)
    try:
        thief = other.new_page()
        fresh = _held_callback(thief, "alice")
        stolen = parse_qs(urlsplit(callback).query)["code"][0]
        thief.goto(fresh.replace(parse_qs(urlsplit(fresh).query)["code"][0], stolen))
        assert thief.get_by_role("heading", level=1).inner_text() == "Australian Public Service Identity did not sign you in"
        assert not thief.get_by_role("button", name="Sign out").is_visible()
    finally:
        other.close()

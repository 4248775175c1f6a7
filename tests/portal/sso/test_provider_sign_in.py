"""Signing in through an agency's identity provider: the real oidc-provider on loopback, the portal's real
HTTP calls to it (discovery, token, keys), a person's visit to its pages followed as a browser would."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from portal.models import AuditEvent, LinkedIdentity, User
from tests.conftest import sign_in
from tests.portal.sso.conftest import local
from tests.support import factories
from tests.support.oidc import add_provider, log_in
from tests.support.smtp import free_port
from workflows import clock


def _person(session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def _refusals(session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent.reason).where(AuditEvent.action == "sign_in_refused")))


def test_the_sign_in_page_offers_each_provider(web, provider):
    assert "Sign in with APS Identity" in web.get("/sign-in").get_data(as_text=True)


def test_without_a_provider_the_sign_in_page_is_as_before(web):
    page = web.get("/sign-in").get_data(as_text=True)
    assert "Sign in with" not in page and "agency's account" not in page


def test_the_portal_asks_for_a_code_with_pkce_state_and_nonce(client, provider):
    location = client.get(f"/sign-in/with/{provider.id}").headers["Location"]
    asked = parse_qs(urlsplit(location).query)
    assert location.startswith(provider.issuer + "/auth?")
    assert asked["response_type"] == ["code"] and asked["code_challenge_method"] == ["S256"]
    assert asked["scope"] == ["openid email profile"] and asked["state"][0] and asked["nonce"][0]
    assert asked["redirect_uri"] == ["http://127.0.0.1:%d/sign-in/callback" % urlsplit(asked["redirect_uri"][0]).port]


def test_first_sign_in_creates_an_account_without_a_password_in_the_domain_s_agency(client, session, provider,
                                                                                   sign_in_through):
    response = sign_in_through(provider, "alice")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    alice = _person(session, "alice.ng@ato.gov.au")
    assert alice.name == "Alice Ng" and alice.agency.abbreviation == "ATO"
    assert alice.password_hash is None and alice.is_verified
    assert session.scalar(select(LinkedIdentity.subject).where(LinkedIdentity.user_id == alice.id)) == "alice"
    assert "Sign out" in client.get("/").get_data(as_text=True)
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == alice.id,
                                                                  AuditEvent.record_type == "user")))
    assert {"registered", "identity_linked", "signed_in_with_provider"} <= actions


def test_the_second_agency_s_people_land_in_their_own_agency(session, provider, sign_in_through):
    assert sign_in_through(provider, "devi").status_code == 302
    devi = _person(session, "devi.rao@dta.gov.au")
    assert devi.agency.abbreviation == "DTA" and devi.name == "Devi Rao"


def test_an_existing_password_account_is_linked_and_both_ways_sign_in(web, client, session, provider, sign_in_through):
    alice = factories.user(session, name="Alice Ng", email="alice.ng@ato.gov.au", agency_abbreviation="DTA")
    session.commit()

    assert sign_in_through(provider, "alice").status_code == 302
    linked = _person(session, "alice.ng@ato.gov.au")
    assert linked.id == alice.id and linked.agency.abbreviation == "ATO"  # the provider's word on the agency
    assert session.scalar(select(LinkedIdentity.user_id).where(LinkedIdentity.subject == "alice")) == alice.id
    web.get("/")
    web.post("/sign-out")
    sign_in(web, linked)  # the password still works
    web.get("/")
    web.post("/sign-out")
    assert sign_in_through(provider, "alice").status_code == 302
    assert session.scalar(select(User.id).where(User.email.like("%ato.gov.au")).where(User.id != alice.id)) is None


def test_an_unconfirmed_account_linked_by_the_provider_loses_its_unproven_password(session, provider, sign_in_through):
    """Someone may have registered another person's address; the provider proves whose it is."""
    squatter = factories.user(session, email="alice.ng@ato.gov.au", verified=False)
    session.commit()
    versions = squatter.session_version

    assert sign_in_through(provider, "alice").status_code == 302
    alice = _person(session, "alice.ng@ato.gov.au")
    assert alice.password_hash is None and alice.is_verified and alice.session_version == versions + 1


def test_an_address_outside_the_provider_s_domains_is_refused(session, provider, sign_in_through):
    response = sign_in_through(provider, "olly")

    assert response.status_code == 403
    assert "Your address is not one this sign-in serves" in response.get_data(as_text=True)
    assert "ato.gov.au, dta.gov.au" in response.get_data(as_text=True)
    assert _person(session, "olly.tran@finance.gov.au") is None
    assert _refusals(session) == ["domain"]


def test_an_address_the_provider_has_not_verified_is_refused(session, provider, sign_in_through):
    response = sign_in_through(provider, "uma")

    assert response.status_code == 403 and "Your e-mail address is not confirmed" in response.get_data(as_text=True)
    assert _person(session, "uma.park@ato.gov.au") is None
    assert _refusals(session) == ["unverified"]


def test_an_authoritative_provider_needs_no_email_verified_claim(session, provider, sign_in_through):
    provider.authoritative = True
    session.commit()

    assert sign_in_through(provider, "uma").status_code == 302
    assert _person(session, "uma.park@ato.gov.au").is_verified


def test_cancelling_at_the_provider_says_so_and_offers_the_password(provider, sign_in_through):
    response = sign_in_through(provider, "alice", cancel=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "You stopped signing in" in page
    assert "Sign in with your oneAPS password" in page


def test_a_tampered_state_is_refused(client, session, provider, go_to_provider):
    callback = go_to_provider(provider, "alice")
    state = parse_qs(urlsplit(callback).query)["state"][0]

    response = client.get(callback.replace(state, state[:-2] + ("xx" if not state.endswith("xx") else "yy")))

    assert response.status_code == 400 and "This sign-in could not be finished" in response.get_data(as_text=True)
    assert _person(session, "alice.ng@ato.gov.au") is None
    assert _refusals(session) == ["state"]


def test_a_replayed_callback_is_refused(client, session, provider, go_to_provider):
    callback = go_to_provider(provider, "alice")
    assert client.get(callback).status_code == 302

    response = client.get(callback)

    assert response.status_code == 400 and "This sign-in could not be finished" in response.get_data(as_text=True)


def test_a_used_code_is_refused_by_the_provider_even_with_a_fresh_state(client, session, provider, go_to_provider):
    first = go_to_provider(provider, "alice")
    assert client.get(first).status_code == 302
    with client.session_transaction() as cookie:
        cookie.clear()
    second = go_to_provider(provider, "alice")
    code = parse_qs(urlsplit(first).query)["code"][0]
    fresh = parse_qs(urlsplit(second).query)["code"][0]

    response = client.get(second.replace(fresh, code))

    assert response.status_code == 400 and "did not sign you in" in response.get_data(as_text=True)
    assert _refusals(session) == ["provider"]


def test_an_id_token_signed_by_another_key_is_refused(session, provider, oidc_provider, sign_in_through):
    oidc_provider.misbehave("rogue-key")

    response = sign_in_through(provider, "alice")

    assert response.status_code == 403 and "We could not confirm who you are" in response.get_data(as_text=True)
    assert _person(session, "alice.ng@ato.gov.au") is None
    assert _refusals(session) == ["token"]


def test_an_id_token_from_another_issuer_is_refused(session, provider, oidc_provider, sign_in_through):
    oidc_provider.misbehave("wrong-issuer")

    response = sign_in_through(provider, "alice")

    assert response.status_code == 403 and _person(session, "alice.ng@ato.gov.au") is None
    assert _refusals(session) == ["token"]


def test_a_reply_naming_another_issuer_is_refused(client, session, provider, go_to_provider):
    """RFC 9207: the authorisation response says which provider sent it; one meant for another is not used."""
    callback = go_to_provider(provider, "alice")
    assert "iss=" in callback

    response = client.get(callback.replace("iss=", "iss=https%3A%2F%2Fevil.example.invalid&was="))

    assert response.status_code == 403 and _person(session, "alice.ng@ato.gov.au") is None
    assert _refusals(session) == ["token"]


def test_a_provider_that_names_another_issuer_is_not_used(session, provider, client):
    provider.issuer = provider.issuer + "/"
    session.commit()

    response = client.get(f"/sign-in/with/{provider.id}")

    assert response.status_code == 502 and "is not set up correctly" in response.get_data(as_text=True)
    assert _refusals(session) == ["misconfigured"]


def test_a_new_signing_key_at_the_provider_is_fetched_when_a_token_names_it(client, session, provider, oidc_provider,
                                                                           sign_in_through):
    assert sign_in_through(provider, "alice").status_code == 302
    oidc_provider.restart(key_id="test-key-2")
    try:
        with client.session_transaction() as cookie:
            cookie.clear()
        assert sign_in_through(provider, "alice").status_code == 302
    finally:
        oidc_provider.restart(key_id="test-key-1")


def test_a_disabled_account_is_refused(session, provider, sign_in_through):
    person = factories.user(session, email="alice.ng@ato.gov.au")
    person.disabled_at = clock.utcnow()
    session.commit()

    response = sign_in_through(provider, "alice")

    assert response.status_code == 403 and "This account has been disabled" in response.get_data(as_text=True)
    assert _refusals(session) == ["disabled"]


def test_signing_out_ends_the_provider_s_session_too(web, client, provider, sign_in_through):
    assert sign_in_through(provider, "alice").status_code == 302
    page = web.get("/")
    assert f"form-action 'self' {provider.issuer}" in page.headers["Content-Security-Policy"]

    response = web.post("/sign-out")

    location = response.headers["Location"]
    asked = parse_qs(urlsplit(location).query)
    assert location.startswith(provider.issuer + "/session/end?")
    assert asked["id_token_hint"][0] and asked["client_id"] == ["oneaps-portal"]
    assert asked["post_logout_redirect_uri"][0].endswith("/")
    assert "Sign out" not in client.get("/").get_data(as_text=True)
    assert "form-action 'self';" in client.get("/").headers["Content-Security-Policy"]


def test_a_password_sign_out_stays_in_the_portal(web, signed_in):
    signed_in()
    assert web.post("/sign-out").headers["Location"] == "/"


def test_the_next_page_survives_the_trip(client, provider):
    location = client.get(f"/sign-in/with/{provider.id}?next=/opportunities/mine").headers["Location"]

    assert client.get(local(log_in(location, "alice"))).headers["Location"] == "/opportunities/mine"


def test_a_provider_that_does_not_answer_gets_a_plain_page_not_an_error(client, session, settings):
    silent = add_provider(session, settings, f"http://127.0.0.1:{free_port()}", name="Silent")

    response = client.get(f"/sign-in/with/{silent.id}")

    assert response.status_code == 502 and "We could not reach Silent" in response.get_data(as_text=True)
    assert _refusals(session) == ["unreachable"]

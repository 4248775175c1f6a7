"""Site admins register providers (checked against the provider's discovery document, the client secret
encrypted and never shown again); an agency's admins require sign-in through it, and passwords stop."""
from __future__ import annotations

from sqlalchemy import select

from portal.models import AuditEvent, IdentityProvider, OutboxMessage, ProviderDomain
from portal.admin.services import merge_agencies
from portal.accounts.services import RESET_LINK
from portal.sso.secrets import unseal
from tests.support import factories
from tests.support.oidc import CLIENT_ID, CLIENT_SECRET, add_provider


def _add(web, issuer: str, **changes):
    form = {"name": "Australian Taxation Office", "issuer": issuer, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "authoritative": "y", "enabled": "y"} | changes
    return web.submit("/admin/identity-providers", form)


def test_a_site_admin_adds_a_provider_whose_secret_is_sealed_and_never_shown(web, session, settings, signed_in,
                                                                            oidc_provider):
    signed_in(site_admin=True)

    response = _add(web, oidc_provider.issuer)

    assert response.status_code == 302
    provider = session.scalar(select(IdentityProvider))
    assert provider.issuer == oidc_provider.issuer and provider.authoritative
    assert CLIENT_SECRET not in provider.client_secret_sealed
    assert unseal(settings, provider.client_secret_sealed) == CLIENT_SECRET
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert CLIENT_SECRET not in page and provider.client_secret_sealed not in page
    assert f"{settings.portal_base_url}/sign-in/callback" in page  # what to register at the provider
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.record_type == "identity_provider")))
    assert events and all(CLIENT_SECRET not in str(e.data) for e in events)


def test_an_issuer_that_is_not_exactly_the_provider_s_is_refused_with_the_right_one(web, session, signed_in,
                                                                                   oidc_provider):
    signed_in(site_admin=True)

    response = _add(web, oidc_provider.issuer + "/")

    assert response.status_code == 422
    assert f"That provider calls itself {oidc_provider.issuer}" in response.get_data(as_text=True)
    assert session.scalar(select(IdentityProvider)) is None


def test_a_plain_http_issuer_elsewhere_than_this_machine_is_refused(web, session, signed_in):
    signed_in(site_admin=True)

    response = _add(web, "http://login.example.gov.au/tenant")

    assert response.status_code == 422 and "https://" in response.get_data(as_text=True)


def test_editing_keeps_the_secret_when_none_is_typed(web, session, settings, signed_in, oidc_provider):
    provider = add_provider(session, settings, oidc_provider.issuer)
    sealed = provider.client_secret_sealed
    signed_in(site_admin=True)

    response = web.submit(f"/admin/identity-providers/{provider.id}",
                          {"name": "APS Identity (ATO and DTA)", "issuer": provider.issuer, "client_id": CLIENT_ID,
                           "client_secret": "", "enabled": "y"})

    assert response.status_code == 302
    session.expire_all()
    assert provider.name == "APS Identity (ATO and DTA)" and provider.client_secret_sealed == sealed


def test_a_domain_is_served_by_one_provider_only(web, session, settings, signed_in, oidc_provider):
    provider = add_provider(session, settings, oidc_provider.issuer)
    other = IdentityProvider(name="Another", issuer="https://login.example.invalid", client_id="x",
                             client_secret_sealed="x")
    session.add(other)
    session.commit()
    signed_in(site_admin=True)
    web.get(f"/admin/identity-providers/{other.id}")

    response = web.post(f"/admin/identity-providers/{other.id}/domains",
                        {"domain-domain": "ato.gov.au", "domain-agency_id": factories.agency(session, "ATO").id})

    assert response.status_code == 422
    assert f"ato.gov.au is already served by {provider.name}" in response.get_data(as_text=True)


def test_a_site_admin_adds_and_removes_a_domain(web, session, settings, signed_in, oidc_provider):
    provider = add_provider(session, settings, oidc_provider.issuer)
    signed_in(site_admin=True)
    web.get(f"/admin/identity-providers/{provider.id}")

    added = web.post(f"/admin/identity-providers/{provider.id}/domains",
                     {"domain-domain": "Finance.gov.au", "domain-agency_id": factories.agency(session, "DSS").id})
    assert added.status_code == 302
    assert session.get(ProviderDomain, "finance.gov.au").agency.abbreviation == "DSS"

    removed = web.post(f"/admin/identity-providers/{provider.id}/domains/remove", {"domain": "finance.gov.au"})
    assert removed.status_code == 302
    session.expire_all()
    assert session.get(ProviderDomain, "finance.gov.au") is None


def test_an_agency_admin_requires_sign_in_through_the_provider_for_their_own_domain_only(
        web, session, settings, signed_in, oidc_provider):
    add_provider(session, settings, oidc_provider.issuer)
    ato = factories.agency(session, "ATO")
    signed_in(admin_of=[ato])
    web.get(f"/admin/agencies/{ato.id}/single-sign-on")

    assert web.post(f"/admin/agencies/{ato.id}/single-sign-on", {"domain": "ato.gov.au", "required": "y"}).status_code == 302
    refused = web.post(f"/admin/agencies/{ato.id}/single-sign-on", {"domain": "dta.gov.au", "required": "y"})

    session.expire_all()
    assert session.get(ProviderDomain, "ato.gov.au").sso_required
    assert refused.status_code == 403 and not session.get(ProviderDomain, "dta.gov.au").sso_required
    dta = factories.agency(session, "DTA")
    assert web.get(f"/admin/agencies/{dta.id}/single-sign-on").status_code == 403


def test_where_sign_in_through_the_agency_is_required_passwords_are_refused(web, session, settings, oidc_provider):
    add_provider(session, settings, oidc_provider.issuer, required=("ato.gov.au",))
    alice = factories.user(session, email="alice.ng@ato.gov.au")
    session.commit()

    sign_in = web.submit("/sign-in", {"email": alice.email, "password": factories.PASSWORD})
    reset = web.submit("/forgot-password", {"email": alice.email})
    register = web.submit("/register", {"name": "Al Ng", "email": "al.ng@ato.gov.au", "agency_id": alice.agency_id,
                                        "password": "a long enough password", "confirm": "a long enough password"})

    for response in (sign_in, reset, register):
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Your agency signs you in through APS Identity" in page and "Sign in with APS Identity" in page
    assert "Sign out" not in web.get("/").get_data(as_text=True)
    assert session.scalar(select(OutboxMessage)) is None  # no reset link, no confirmation e-mail


def test_a_reset_link_sent_before_the_requirement_no_longer_sets_a_password(web, session, settings, oidc_provider):
    alice = factories.user(session, email="alice.ng@ato.gov.au")
    session.commit()
    token = RESET_LINK.make(uid=alice.id, sv=alice.session_version, email=alice.email)
    add_provider(session, settings, oidc_provider.issuer, required=("ato.gov.au",))

    response = web.get(f"/reset-password/{token}")

    assert response.status_code == 403 and "Sign in with APS Identity" in response.get_data(as_text=True)


def test_others_still_sign_in_with_a_password(web, session, settings, oidc_provider):
    add_provider(session, settings, oidc_provider.issuer, required=("ato.gov.au",))
    devi = factories.user(session, email="devi.rao@dta.gov.au")
    session.commit()

    assert web.submit("/sign-in", {"email": devi.email, "password": factories.PASSWORD}).status_code == 302


def test_merging_an_agency_moves_its_provider_domains_to_the_agency_kept(session, settings, oidc_provider):
    add_provider(session, settings, oidc_provider.issuer)
    ato, dss = factories.agency(session, "ATO"), factories.agency(session, "DSS")

    merge_agencies(session, ato, dss, factories.user(session, site_admin=True))
    session.commit()

    assert session.get(ProviderDomain, "ato.gov.au").agency_id == dss.id

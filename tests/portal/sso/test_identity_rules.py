"""Who an ID token's claims sign in, and the sealed client secret: database only, no provider, no network."""
from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from portal.models import IdentityProvider, LinkedIdentity, ProviderDomain, User
from portal.sso.identity import SignInRefused, person_for_claims
from portal.accounts.providers import agency_for_verified_email, required_provider
from portal.sso.secrets import SecretUnreadable, seal, unseal
from tests.support import factories


@pytest.fixture
def provider(session):
    provider = IdentityProvider(name="APS Identity", issuer="https://login.example.invalid", client_id="c",
                                client_secret_sealed="x")
    session.add(provider)
    session.flush()
    session.add(ProviderDomain(domain="ato.gov.au", provider_id=provider.id,
                               agency_id=factories.agency(session, "ATO").id))
    session.commit()
    return provider


def _refusal(session, provider, claims) -> str:
    with pytest.raises(SignInRefused) as refused:
        person_for_claims(session, provider, claims)
    session.rollback()
    return refused.value.reason


def test_the_address_is_compared_in_lower_case(session, provider):
    person = person_for_claims(session, provider, {"sub": "1", "email": " Kim.Le@ATO.gov.au ", "email_verified": True})
    assert person.email == "kim.le@ato.gov.au" and person.name == "Kim Le"


def test_a_subdomain_is_not_served_unless_listed(session, provider):
    assert _refusal(session, provider, {"sub": "1", "email": "kim@sub.ato.gov.au", "email_verified": True}) == "domain"


def test_a_token_without_an_address_is_refused(session, provider):
    assert _refusal(session, provider, {"sub": "1", "email_verified": True}) == "no_email"


@pytest.mark.parametrize("claim", [False, "false", None, "yes"])
def test_only_a_true_email_verified_claim_counts(session, provider, claim):
    assert _refusal(session, provider, {"sub": "1", "email": "kim@ato.gov.au", "email_verified": claim}) == "unverified"


def test_a_linked_person_is_found_by_the_provider_s_subject_even_after_a_change_of_address(session, provider):
    first = person_for_claims(session, provider, {"sub": "s-9", "email": "kim@ato.gov.au", "email_verified": True})
    session.commit()
    again = person_for_claims(session, provider, {"sub": "s-9", "email": "kim.le@ato.gov.au", "email_verified": True})
    session.commit()
    assert again.id == first.id
    assert session.scalar(select(User).where(User.email == "kim.le@ato.gov.au")) is None
    assert len(list(session.scalars(select(LinkedIdentity)))) == 1


def test_the_agency_for_an_address_comes_from_its_domain(session, provider):
    assert agency_for_verified_email(session, "kim@ato.gov.au").abbreviation == "ATO"
    assert agency_for_verified_email(session, "kim@dta.gov.au").abbreviation == "DTA"  # the agencies' own domains
    assert agency_for_verified_email(session, "kim@example.com") is None


def test_a_switched_off_provider_requires_nobody(session, provider):
    session.get(ProviderDomain, "ato.gov.au").sso_required = True
    assert required_provider(session, "kim@ato.gov.au").id == provider.id
    provider.enabled = False
    assert required_provider(session, "kim@ato.gov.au") is None


def test_a_sealed_secret_opens_with_its_key_and_after_rotation(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = seal(replace(settings, identity_provider_keys=(old,)), "s3cret")
    assert "s3cret" not in sealed
    assert unseal(replace(settings, identity_provider_keys=(new, old)), sealed) == "s3cret"
    with pytest.raises(SecretUnreadable):
        unseal(replace(settings, identity_provider_keys=(new,)), sealed)

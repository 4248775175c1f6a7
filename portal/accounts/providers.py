"""Which provider serves an address, whether its agency requires that provider, and the agency an address
belongs to. Password sign-in, password reset, registration and the provider's callback all ask here."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.domains import agencies_for_email, domain_of
from portal.models import Agency, IdentityProvider, ProviderDomain


def enabled_providers(session: Session) -> list[IdentityProvider]:
    """The providers offered on the sign-in page; none configured means the page looks as it always did."""
    return list(session.scalars(select(IdentityProvider).where(IdentityProvider.enabled.is_(True))
                                .order_by(IdentityProvider.name)))


def serves(provider: IdentityProvider, email: str) -> bool:
    """A provider signs people in only for the domains listed for it, each matched exactly."""
    return any(row.domain == domain_of(email) for row in provider.domains)


def required_provider(session: Session, email: str) -> IdentityProvider | None:
    """The provider this address must sign in with, when its agency requires single sign-on."""
    return session.scalar(select(IdentityProvider).join(ProviderDomain)
                          .where(ProviderDomain.domain == domain_of(email), ProviderDomain.sso_required.is_(True),
                                 IdentityProvider.enabled.is_(True)))


def agency_for_verified_email(session: Session, email: str) -> Agency | None:
    """The agency a provider-verified address belongs to: the agencies' own e-mail domains decide
    (`portal.accounts.domains`, as for registration). Where several agencies share the domain, the one a site
    admin tied the provider's domain to, if it is among them; otherwise none until an agency admin corrects it."""
    agencies = agencies_for_email(session, email)
    if len(agencies) <= 1:
        return agencies[0] if agencies else None
    tied = session.scalar(select(ProviderDomain.agency_id).where(ProviderDomain.domain == domain_of(email)))
    return next((agency for agency in agencies if agency.id == tied), None)

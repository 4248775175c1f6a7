"""Changes to identity providers, each with an audit event in the caller's transaction. The client secret
never reaches an audit event, a log line or a page."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import record_admin_event
from portal.config import Settings
from portal.models import Agency, IdentityProvider, ProviderDomain, User
from portal.sso.secrets import seal
from workflows import Refused

FIELDS = ("name", "issuer", "client_id", "authoritative", "enabled")


def save_provider(session: Session, settings: Settings, provider: IdentityProvider | None, values: dict,
                  secret: str | None, actor: User) -> IdentityProvider:
    for field in ("name", "issuer"):
        clash = session.scalar(select(IdentityProvider).where(getattr(IdentityProvider, field) == values[field]))
        if clash is not None and (provider is None or clash.id != provider.id):
            raise Refused(f"Another identity provider already has that {field}.", 422, field)
    created = provider is None
    if created:
        provider = IdentityProvider(client_secret_sealed="")
        session.add(provider)
    changed = sorted(key for key in FIELDS if getattr(provider, key) != values[key])
    for key in FIELDS:
        setattr(provider, key, values[key])
    if secret:
        provider.client_secret_sealed = seal(settings, secret)
        changed.append("client_secret")
    session.flush()
    record_admin_event(session, "identity_provider", provider.id, "added" if created else "edited", actor=actor,
                       data={"name": provider.name, "changed": changed})
    return provider


def add_domain(session: Session, provider: IdentityProvider, domain: str, agency: Agency, actor: User) -> None:
    """A domain is served by one provider at most, so the agency an address belongs to is never in doubt."""
    taken = session.get(ProviderDomain, domain)
    if taken is not None:
        raise Refused(f"{domain} is already served by {taken.provider.name}.", 422, "domain")
    session.add(ProviderDomain(domain=domain, provider_id=provider.id, agency_id=agency.id))
    record_admin_event(session, "identity_provider", provider.id, "domain_added", actor=actor,
                       data={"domain": domain, "agency": agency.name})


def remove_domain(session: Session, provider: IdentityProvider, domain: str, actor: User) -> None:
    row = session.get(ProviderDomain, domain)
    if row is None or row.provider_id != provider.id:
        raise Refused("That domain is not served by this provider.")
    session.delete(row)
    record_admin_event(session, "identity_provider", provider.id, "domain_removed", actor=actor,
                       data={"domain": domain})


def set_sso_required(session: Session, agency: Agency, domain: str, required: bool, actor: User) -> ProviderDomain:
    """An agency's admins decide whether its people must sign in through the provider (no passwords)."""
    row = session.get(ProviderDomain, domain)
    if row is None or row.agency_id != agency.id:
        raise Refused("That domain does not belong to your agency.", 403)
    row.sso_required = required
    record_admin_event(session, "agency", agency.id, "sso_required" if required else "sso_optional", actor=actor,
                       data={"domain": domain, "provider": row.provider.name})
    return row

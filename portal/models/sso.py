"""Agency identity providers (OpenID Connect), the e-mail domains each serves, and the accounts linked to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, Timestamps
from portal.models.users import Agency, User
from workflows import clock


class IdentityProvider(Timestamps, Base):
    """An agency's OpenID provider, added by a site admin. The client secret is kept encrypted
    (portal.sso.secrets) and never shown again after saving."""

    __tablename__ = "identity_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    issuer: Mapped[str] = mapped_column(String(300), unique=True)
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    # Vouches for every address in its domains, so no email_verified claim is needed (Entra ID sends none).
    authoritative: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)

    domains: Mapped[list[ProviderDomain]] = relationship(back_populates="provider", order_by="ProviderDomain.domain",
                                                          cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class ProviderDomain(Base):
    """One e-mail domain a provider serves (exactly: subdomains are listed on their own), and the agency
    people with that domain belong to. The agency's admins may require sign-in through the provider."""

    __tablename__ = "identity_provider_domains"

    domain: Mapped[str] = mapped_column(String(120), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_providers.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    sso_required: Mapped[bool] = mapped_column(default=False)

    provider: Mapped[IdentityProvider] = relationship(back_populates="domains")
    agency: Mapped[Agency] = relationship(lazy="joined")


class LinkedIdentity(Base):
    """A person's account at a provider (its `sub`), linked to their portal account on first sign-in."""

    __tablename__ = "linked_identities"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_providers.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

"""Which agency an e-mail address belongs to. The one home of that rule: registration, moving agency, the
agency admins' corrections, the site admins' list of people whose agency disagrees with their address, and
OpenID Connect sign-in all ask `membership` (or `agencies_for_email`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func, literal, not_, or_, select
from sqlalchemy.orm import Session, aliased

from portal.models import Agency, EmailDomain, User
from portal.models.users import email_domain_agencies
from workflows import Refused

# States and territories (their agencies and local councils live under these); the portal is for the APS.
STATE_AND_TERRITORY_DOMAINS = ("nsw.gov.au", "vic.gov.au", "qld.gov.au", "wa.gov.au", "sa.gov.au", "tas.gov.au",
                               "act.gov.au", "nt.gov.au")
HELP_PAGE = "/help/who-can-participate"


class MembershipRefused(Refused):
    """The address cannot give its owner an agency here; `message` says why, in the person's words (422, beside
    the agency choice or the address)."""

    def __init__(self, message: str, kind: str = "choice") -> None:
        super().__init__(message, 422, "agency_id")
        self.kind = kind


@dataclass(frozen=True)
class Membership:
    """What an address's domain says about its owner: the agencies it may belong to (none for an extra domain),
    whether only contractors use it, or why it cannot register at all (`refusal`, `refusal_kind`)."""

    domain: str
    agencies: list[Agency] = field(default_factory=list)
    contractors_only: bool = False
    refusal: str | None = None
    refusal_kind: str | None = None  # "state" (state, territory or local government) or "unknown"

    def agency(self, chosen_id: int | None) -> Agency | None:
        """The person's agency: the domain's only one, or the one they chose among several (shared services)."""
        if self.refusal:
            raise MembershipRefused(self.refusal, self.refusal_kind or "unknown")
        if len(self.agencies) <= 1:
            return self.agencies[0] if self.agencies else None
        for agency in self.agencies:
            if agency.id == chosen_id:
                return agency
        raise MembershipRefused("Choose which of these agencies you work for: "
                                + ", ".join(a.name for a in self.agencies) + ".")

    def admits(self, agency_id: int | None) -> bool:
        """Whether a person with this address may be recorded as belonging to `agency_id`."""
        if self.refusal:
            return False
        return agency_id in {a.id for a in self.agencies} if self.agencies else agency_id is None


def domain_of(email: str) -> str:
    return (email or "").strip().lower().rpartition("@")[2]


def covering(domain: str) -> list[str]:
    """The domain and every parent of it, longest first: a domain covers its subdomains."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def is_state_or_territory(domain: str) -> bool:
    return any(d in STATE_AND_TERRITORY_DOMAINS for d in covering(domain))


def find_domain(session: Session, email: str) -> EmailDomain | None:
    """The longest recorded, unretired domain covering the address."""
    candidates = covering(domain_of(email))
    found = {d.domain: d for d in session.scalars(select(EmailDomain).where(
        EmailDomain.domain.in_(candidates), EmailDomain.retired_at.is_(None)))}
    return next((found[d] for d in candidates if d in found), None)


def membership(session: Session, email: str) -> Membership:
    domain = domain_of(email)
    if is_state_or_territory(domain):
        return Membership(domain, refusal_kind="state", refusal=(
            "oneAPS Opportunities is for Australian Public Service staff: state, territory and local government "
            "addresses cannot register."))
    found = find_domain(session, email)
    if found is None:
        return Membership(domain, refusal_kind="unknown", refusal=(
            f"{domain or 'This domain'} is not the e-mail domain of an APS agency we know. Use your APS agency "
            "e-mail address."))
    return Membership(domain, [a for a in found.agencies if a.active], found.contractors_only)


def agencies_for_email(session: Session, email: str) -> list[Agency]:
    """The agencies a verified address may belong to (one, several for shared services, none if refused or
    an extra domain). For sign-in from elsewhere (OpenID Connect): take the only one, or let the person pick."""
    return membership(session, email).agencies


def _covers(d) -> ColumnElement[bool]:
    return and_(d.retired_at.is_(None), or_(User.email.like(literal("%@") + d.domain),
                                             User.email.like(literal("%.") + d.domain)))


def _longest_covering(d) -> ColumnElement[bool]:
    longer = aliased(EmailDomain)
    return and_(_covers(d), not_(exists(select(1).select_from(longer).where(
        _covers(longer), func.length(longer.domain) > func.length(d.domain)).correlate_except(longer))))


def agency_disagrees_with_email() -> ColumnElement[bool]:
    """SQL twin of `not membership(session, user.email).admits(user.agency_id)`, to list people all at once."""
    best, owner, agency = aliased(EmailDomain), email_domain_agencies.alias(), aliased(Agency)
    owned_by_theirs = exists(select(1).select_from(best).join(owner, owner.c.domain == best.domain)
                             .join(agency, agency.id == owner.c.agency_id)
                             .where(_longest_covering(best), agency.active, owner.c.agency_id == User.agency_id))
    extra, extra_owner, extra_agency = aliased(EmailDomain), email_domain_agencies.alias(), aliased(Agency)
    owned_by_nobody = exists(select(1).select_from(extra).where(_longest_covering(extra), not_(exists(
        select(1).select_from(extra_owner).join(extra_agency, extra_agency.id == extra_owner.c.agency_id)
        .where(extra_owner.c.domain == extra.domain, extra_agency.active).correlate_except(extra_owner, extra_agency)))))
    state = or_(*(or_(User.email.like(f"%@{d}"), User.email.like(f"%.{d}")) for d in STATE_AND_TERRITORY_DOMAINS))
    return or_(state, not_(or_(owned_by_theirs, and_(User.agency_id.is_(None), owned_by_nobody))))

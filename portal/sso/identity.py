"""Who the person signing in through a provider is: a verified address in the provider's domains, their
account found by the provider's subject, linked by address, or created without a password."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.domains import membership
from portal.accounts.membership import follow_verified_address
from portal.accounts.services import find_user, normalise_email, record_sign_in
from portal.audit import record_admin_event
from portal.models import IdentityProvider, LinkedIdentity, User
from portal.accounts.providers import agency_for_verified_email, serves
from workflows import clock

# What each refusal is called, its answer's status, its heading and what the page says in plain words.
REFUSALS: dict[str, tuple[int, str, str]] = {
    "cancelled": (400, "You stopped signing in",
                  "Signing in at {provider} was cancelled, so you are not signed in. Nothing has changed."),
    "state": (400, "This sign-in could not be finished",
              "The reply from {provider} did not match a sign-in started in this browser, or it had been used "
              "already. This can happen after using the back button or signing in from two tabs. Start again."),
    "token": (403, "We could not confirm who you are",
              "The reply from {provider} did not pass our security checks (who signed it, who it was for and "
              "when), so we did not sign you in. Try again; if it happens again, tell the oneAPS team."),
    "provider": (400, "{provider} did not sign you in",
                 "{provider} refused the request. Start again; if it happens again, tell your agency's IT "
                 "service desk."),
    "unreachable": (502, "We could not reach {provider}",
                    "{provider} did not answer, or answered something we could not use. Try again in a few "
                    "minutes."),
    "misconfigured": (502, "{provider} is not set up correctly",
                      "{provider} does not match what the oneAPS team registered for it, so we did not use it. "
                      "Tell the oneAPS team."),
    "no_email": (403, "{provider} did not tell us your e-mail address",
                 "We need a confirmed work e-mail address to know who you are. Ask your agency's IT service desk "
                 "to release the e-mail address to oneAPS."),
    "domain": (403, "Your address is not one this sign-in serves",
               "{provider} signs in people with addresses at {domains}. Your address is not one of them, so we "
               "did not sign you in."),
    "unverified": (403, "Your e-mail address is not confirmed",
                   "{provider} has not confirmed that your e-mail address belongs to you, so we cannot use it to "
                   "sign you in. Ask your agency's IT service desk to confirm it."),
    "disabled": (403, "This account has been disabled",
                 "Contact the oneAPS team if you think this is wrong."),
}


class SignInRefused(Exception):
    """A sign-in through a provider that did not happen, named by one of REFUSALS' keys."""

    def __init__(self, reason: str, detail: str = "", email: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail, self.email = reason, detail, email


def refusal_words(refused: SignInRefused, provider: IdentityProvider) -> tuple[int, str, str]:
    status, heading, text = REFUSALS[refused.reason]
    values = {"provider": provider.name, "domains": ", ".join(d.domain for d in provider.domains)}
    return status, heading.format(**values), text.format(**values)


def _verified(claims: Mapping, provider: IdentityProvider) -> bool:
    return provider.authoritative or claims.get("email_verified") in (True, "true")


def _name(claims: Mapping, email: str) -> str:
    given = " ".join(str(claims.get(key) or "").strip() for key in ("given_name", "family_name")).strip()
    name = str(claims.get("name") or "").strip() or given or email.partition("@")[0].replace(".", " ").title()
    return name[:120]


def person_for_claims(session: Session, provider: IdentityProvider, claims: Mapping) -> User:
    """The person a checked ID token names, or SignInRefused. Changes are left in the caller's transaction."""
    email = normalise_email(str(claims.get("email") or ""))
    if "@" not in email:
        raise SignInRefused("no_email")
    if not serves(provider, email) or membership(session, email).refusal:
        raise SignInRefused("domain", email=email)  # not the provider's, or not an APS agency's at all
    if not _verified(claims, provider):
        raise SignInRefused("unverified", email=email)
    subject = str(claims["sub"])
    link = session.scalar(select(LinkedIdentity).where(LinkedIdentity.provider_id == provider.id,
                                                       LinkedIdentity.subject == subject))
    user = link.user if link is not None else find_user(session, email)
    if user is not None and user.disabled_at is not None:
        raise SignInRefused("disabled", email=email)
    now = clock.utcnow()
    agency = agency_for_verified_email(session, email)
    if user is None:
        user = User(email=email, name=_name(claims, email), password_hash=None, verified_at=now,
                    agency_id=agency.id if agency else None)
        session.add(user)
        session.flush()
        record_admin_event(session, "user", user.id, "registered", actor=user, data={"provider": provider.name})
    elif link is None and user.verified_at is None:
        # Nobody proved the password of an unconfirmed account belonged to this person: it goes.
        user.password_hash, user.verified_at = None, now
        user.session_version += 1
    if link is None:
        link = LinkedIdentity(provider_id=provider.id, subject=subject, user_id=user.id)
        session.add(link)
        record_admin_event(session, "user", user.id, "identity_linked", actor=user, data={"provider": provider.name})
    follow_verified_address(session, user)  # audited like any other move; shared domains keep the choice
    link.last_used_at = now
    record_sign_in(session, user)
    record_admin_event(session, "user", user.id, "signed_in_with_provider", actor=user,
                       data={"provider": provider.name})
    return user


def record_refusal(session: Session, provider: IdentityProvider, refused: SignInRefused) -> None:
    record_admin_event(session, "identity_provider", provider.id, "sign_in_refused", actor=None,
                       reason=refused.reason, data={"email": refused.email} if refused.email else {})

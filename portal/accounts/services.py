"""Account rules: who may register, verification, sign-in lockout, password reset."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import links
from portal.accounts.domains import membership
from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.audit import record_admin_event
from portal import metrics
from portal.outbox import queue_email, queue_job
from portal.urls import external_url
from portal.models import ReminderSent, User
from workflows import Refused, clock

MAX_FAILURES = 5
LOCK_MINUTES = 15
VERIFY_LINK = links.LinkKind("verify-email")
RESET_LINK = links.LinkKind("reset-password", max_age_seconds=3600)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_domain_allowed(email: str, allowed: tuple[str, ...]) -> bool:
    """Allowed when the domain is on the list or a subdomain of one on it (gov.au covers ato.gov.au)."""
    domain = normalise_email(email).rpartition("@")[2]
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def allowed_domains(session: Session) -> tuple[str, ...]:
    """The site admins' list, or ALLOWED_EMAIL_DOMAINS while they have not made one."""
    from flask import current_app

    from portal.models import AllowedDomain

    stored = tuple(session.scalars(select(AllowedDomain.domain).order_by(AllowedDomain.domain)))
    return stored or current_app.config["SETTINGS"].allowed_email_domains


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def register(session: Session, *, name: str, email: str, password: str, agency_id: int | None,
             is_contractor: bool) -> User | None:
    """Create the account and send its confirmation link; for an address that already has an account, tell
    its owner so instead (None). Both paths hash the password and queue one e-mail, so neither the answer nor
    the time it takes says whether an address has an account. The agency comes from the address's domain
    (`agency_id` only chooses among agencies sharing it); MembershipRefused for an address no APS agency owns.
    Contractors-only domains make a contractor."""
    password_hash = hash_password(password)
    found = membership(session, email)  # refused domains are refused alike, account or not
    agency = found.agency(agency_id)
    existing = find_user(session, email)
    if existing is not None:
        queue_email(session, "account_exists", existing.email,
                    {"name": existing.name, "sign_in": external_url("accounts.login"),
                     "reset": external_url("accounts.forgot_password")},
                    key=f"account-exists:{existing.id}:{clock.canberra_today()}",  # once a day at most
                    name=existing.name, category="account")
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash,
                agency=agency, is_contractor=is_contractor or found.contractors_only)
    session.add(user)
    session.flush()
    record_admin_event(session, "user", user.id, "registered", actor=user,
                       data={"agency_id": agency.id if agency else None, "domain": found.domain})
    send_verification(session, user)
    return user


def send_verification(session: Session, user: User) -> None:
    token = VERIFY_LINK.make(uid=user.id, email=user.email)
    link = external_url("accounts.verify", token=token)
    queue_email(session, "verify_email", user.email, {"name": user.name, "link": link},
                key=f"verify:{user.id}:{token[-16:]}", name=user.name, category="account")


def verify(session: Session, link: links.Link) -> User:
    """Mark the person's address verified; LinkRefused when the link names someone who is not there."""
    user = session.get(User, link.payload["uid"])
    if user is None or user.email != link.payload["email"]:
        raise links.LinkRefused("invalid")
    link.use(session)
    user.email_bounced_at = None  # the link arrived, so the address works again
    if user.verified_at is None:
        user.verified_at = clock.utcnow()
        record_admin_event(session, "user", user.id, "verified", actor=user)
    return user


# One message for a wrong password, an unknown address and a locked account: telling them apart would
# tell anyone which addresses have accounts (an unknown address never locks).
NOT_SIGNED_IN = ("The e-mail address or password is not right, or the account is locked for 15 minutes after "
                 "too many failed attempts. Try again later or reset your password.")


def authenticate(session: Session, email: str, password: str) -> User:
    """The person, or Refused (beside the password). Five failures lock the account for fifteen minutes."""
    user = find_user(session, email)
    now = clock.utcnow()
    # Checked even for an unknown address (against a dummy hash), so the time taken says nothing.
    right = verify_password(user.password_hash if user is not None else None, password)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        metrics.count_sign_in_failure(False)
        raise Refused(NOT_SIGNED_IN, 422, "password")
    if user is None or not right:
        locked = False
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins, locked = now + timedelta(minutes=LOCK_MINUTES), 0, True
                record_admin_event(session, "user", user.id, "locked", actor=None)
        metrics.count_sign_in_failure(locked)
        raise Refused(NOT_SIGNED_IN, 422, "password")
    if user.closed_at is not None:
        raise Refused("You closed this account, so it cannot be used again. Contact the oneAPS team if you "
                      "want to take part again.", 422, "password")
    if user.disabled_at is not None:
        raise Refused("This account has been disabled. Contact the oneAPS team if you think this is wrong.", 422,
                      "password")
    if needs_rehash(user.password_hash):  # right, so the password is at hand: keep it under today's parameters
        user.password_hash = hash_password(password)
    record_sign_in(session, user)
    return user


def record_sign_in(session: Session, user: User) -> None:
    """A sign-in that succeeded, by password or through an agency's provider: failures forgotten, and the
    account is in use again (no dormancy warning stands)."""
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, clock.utcnow()
    session.execute(delete(ReminderSent).where(ReminderSent.kind == "dormant_warning",
                                               ReminderSent.record_id == user.id))


def request_password_reset(session: Session, email: str) -> None:
    """Queue the reset for the worker, the same for every address: looking the person up and e-mailing
    them happens after the answer, so its time says nothing about whether the address has an account."""
    queue_job(session, "password-reset", {"email": normalise_email(email)},
              key=f"job:password-reset:{secrets.token_urlsafe(12)}")


def send_password_reset(session: Session, context: dict) -> None:
    """E-mail a reset link if the address has an account that is not disabled; nothing otherwise."""
    user = find_user(session, context["email"])
    if user is None or user.disabled_at is not None:
        return
    token = RESET_LINK.make(uid=user.id, sv=user.session_version, email=user.email)
    link = external_url("accounts.reset_password", token=token)
    queue_email(session, "reset_password", user.email, {"name": user.name, "link": link},
                key=f"reset:{user.id}:{token[-16:]}", name=user.name, category="account")


def reset_link_user(session: Session, link: links.Link) -> User:
    """The person a reset link is for; a link made before the password last changed, or sent to an address
    the account no longer has, counts as used."""
    user = session.get(User, link.payload["uid"])
    if user is None or user.session_version != link.payload["sv"] or user.email != link.payload.get("email"):
        raise links.LinkRefused("used")
    return user


def reset_password(session: Session, link: links.Link, password: str) -> User:
    user = reset_link_user(session, link)
    link.use(session)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins, user.locked_until = 0, None
    if user.verified_at is None:  # the link reached their inbox, so the address is theirs
        user.verified_at = clock.utcnow()
    record_admin_event(session, "user", user.id, "password_reset", actor=user)
    return user


"""Account rules: who may register, verification, sign-in lockout, password reset."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import links
from portal.accounts.passwords import hash_password, verify_password
from portal.audit import record_admin_event
from portal.outbox import queue_email
from portal.urls import external_url
from portal.models import ReminderSent, User
from workflows import Refused, clock

MAX_FAILURES = 5
LOCK_MINUTES = 15
VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"


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
             is_contractor: bool) -> User:
    user = User(name=name.strip(), email=normalise_email(email), password_hash=hash_password(password),
                agency_id=agency_id, is_contractor=is_contractor)
    session.add(user)
    session.flush()
    record_admin_event(session, "user", user.id, "registered", actor=user)
    send_verification(session, user)
    return user


def send_verification(session: Session, user: User) -> None:
    token = links.make_token(VERIFY_PURPOSE, uid=user.id, email=user.email)
    link = external_url("accounts.verify", token=token)
    queue_email(session, "verify_email", user.email, {"name": user.name, "link": link},
                key=f"verify:{user.id}:{token[-16:]}", name=user.name, category="account")


def verify(session: Session, token: str) -> User:
    """Mark the person's address verified; raises LinkRefused for a bad, old or used link."""
    payload = links.read_token(session, VERIFY_PURPOSE, token)
    user = session.get(User, payload["uid"])
    if user is None or user.email != payload["email"]:
        raise links.LinkRefused("invalid")
    links.consume_token(session, VERIFY_PURPOSE, token)
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
        raise Refused(NOT_SIGNED_IN, 422, "password")
    if user is None or not right:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins = now + timedelta(minutes=LOCK_MINUTES), 0
                record_admin_event(session, "user", user.id, "locked", actor=None)
        raise Refused(NOT_SIGNED_IN, 422, "password")
    if user.disabled_at is not None:
        raise Refused("This account has been disabled. Contact the oneAPS team if you think this is wrong.", 422,
                      "password")
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.execute(delete(ReminderSent).where(ReminderSent.kind == "dormant_warning",
                                               ReminderSent.record_id == user.id))  # in use again
    return user


def request_password_reset(session: Session, email: str) -> None:
    """Queue a reset link if the address is known; say nothing either way."""
    user = find_user(session, email)
    if user is None or user.disabled_at is not None:
        return
    token = links.make_token(RESET_PURPOSE, uid=user.id, sv=user.session_version)
    link = external_url("accounts.reset_password", token=token)
    queue_email(session, "reset_password", user.email, {"name": user.name, "link": link},
                key=f"reset:{user.id}:{token[-16:]}", name=user.name, category="account")


def check_reset_token(session: Session, token: str) -> User:
    payload = links.read_token(session, RESET_PURPOSE, token, max_age_seconds=3600)
    user = session.get(User, payload["uid"])
    if user is None or user.session_version != payload["sv"]:
        raise links.LinkRefused("used")
    return user


def reset_password(session: Session, token: str, password: str) -> User:
    user = check_reset_token(session, token)
    links.consume_token(session, RESET_PURPOSE, token)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins, user.locked_until = 0, None
    if user.verified_at is None:  # the link reached their inbox, so the address is theirs
        user.verified_at = clock.utcnow()
    record_admin_event(session, "user", user.id, "password_reset", actor=user)
    return user


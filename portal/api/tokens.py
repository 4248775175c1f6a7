"""Personal API tokens: high-entropy secrets, so a SHA-256 digest is enough to store them safely."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import record_admin_event
from portal.models import ApiToken, User
from workflows import clock

PREFIX = "oaps_"
MAX_TOKENS = 10


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """The new token row and its secret, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret), prefix=secret[:10])
    session.add(token)
    session.flush()
    record_admin_event(session, "api_token", token.id, "token_created", actor=user, data={"name": name})
    return token, secret


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                .order_by(ApiToken.created_at.desc())))


def revoke(session: Session, user: User, token_id: int) -> bool:
    token = session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                                                  ApiToken.revoked_at.is_(None)))
    if token is None:
        return False
    token.revoked_at = clock.utcnow()
    record_admin_event(session, "api_token", token.id, "token_revoked", actor=user)
    return True


def user_for(session: Session, secret: str) -> tuple[User, ApiToken] | None:
    """The active, verified person a bearer token belongs to, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret), ApiToken.revoked_at.is_(None)))
    if token is None or token.user.disabled_at is not None or token.user.verified_at is None:
        return None
    token.last_used_at = clock.utcnow()
    return token.user, token

"""Signed links: single-purpose, expiring, and single-use once acted on."""
from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.models import UsedToken


class LinkRefused(Exception):
    """Why a link cannot be used: 'expired', 'invalid', 'used' or 'not_yours' (sent to somebody else)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def refused_page(refused: LinkRefused, purpose: str) -> tuple[str, int]:
    """The one clear page for an e-mailed link that cannot be used: 400 when it was never valid, 403 when it
    was sent to somebody else, 410 when it was valid but is used up or expired."""
    from flask import render_template

    return render_template("links/refused.html", why=refused.why, purpose=purpose), \
        {"invalid": 400, "not_yours": 403}.get(refused.why, 410)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"link:{purpose}")


def make_token(purpose: str, **payload) -> str:
    payload["n"] = secrets.token_urlsafe(6)  # every link distinct, so using one never burns another
    return _serializer(purpose).dumps(payload)


def read_token(session: Session, purpose: str, token: str, max_age_seconds: int | None = None) -> dict:
    """The payload of a valid, unexpired, unused link, or LinkRefused."""
    if max_age_seconds is None:
        max_age_seconds = current_app.config["SETTINGS"].link_max_age_days * 86400
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise LinkRefused("expired") from None
    except BadSignature:
        raise LinkRefused("invalid") from None
    if session.scalar(select(UsedToken.digest).where(UsedToken.digest == _digest(token))):
        raise LinkRefused("used")
    return payload


def consume_token(session: Session, purpose: str, token: str) -> None:
    """Mark the link used inside the caller's transaction; a replay racing us loses."""
    session.add(UsedToken(digest=_digest(token), purpose=purpose))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise LinkRefused("used") from None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

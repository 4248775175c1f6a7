"""Signed links: single-purpose, expiring, and single-use once acted on.

Each kind of e-mailed link is a LinkKind; its view is wrapped in `signed_link(kind)`, which reads and
checks the token and answers every refusal with one clear page (400 never valid, 410 used or expired,
409 no longer needed), so the view itself is only its happy path. Single use is keyed on a nonce inside
the signed payload, never on the token's text: base64 lets the same signature be written several ways.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import UsedToken

STATUS = {"invalid": 400, "not_yours": 403, "expired": 410, "used": 410, "not_needed": 409}


class LinkRefused(Exception):
    """Why a link cannot be used: 'invalid', 'not_yours' (sent to another account), 'expired', 'used' or
    'not_needed' (what it asked for was settled another way). `page` replaces the general refusal page when the feature can say more."""

    def __init__(self, why: str, page: str | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.page = page

    @property
    def status(self) -> int:
        return STATUS[self.why]


@dataclass(frozen=True)
class LinkKind:
    """One kind of e-mailed link: its purpose (the signing salt, the used-link key and the refusal page's
    wording), how long it lives and whether acting on it spends it."""

    purpose: str
    max_age_seconds: int | None = None  # None: LINK_MAX_AGE_DAYS, or the setting below
    max_age_hours_setting: str = ""  # the name of a Settings field giving the lifetime in hours
    single_use: bool = True
    expires: bool = True
    salt: str = ""  # "": link:<purpose>

    def _max_age(self, settings) -> int:
        if self.max_age_seconds:
            return self.max_age_seconds
        if self.max_age_hours_setting:
            return getattr(settings, self.max_age_hours_setting) * 3600
        return settings.link_max_age_days * 86400

    def _serializer(self) -> URLSafeSerializer:
        kind = URLSafeTimedSerializer if self.expires else URLSafeSerializer
        return kind(current_app.config["SECRET_KEY"], salt=self.salt or f"link:{self.purpose}")

    def make(self, **payload) -> str:
        if self.single_use:
            payload["n"] = secrets.token_urlsafe(12)  # the link's own identity: what "used" is recorded against
        return self._serializer().dumps(payload)

    def read(self, session: Session, token: str) -> "Link":
        """The link, if it is genuine, unexpired and unused; LinkRefused otherwise."""
        try:
            if self.expires:
                max_age = self._max_age(current_app.config["SETTINGS"])
                payload = self._serializer().loads(token, max_age=max_age)
            else:
                payload = self._serializer().loads(token)
        except SignatureExpired:
            raise LinkRefused("expired") from None
        except BadSignature:
            raise LinkRefused("invalid") from None
        if not isinstance(payload, dict):
            raise LinkRefused("invalid")
        link = Link(self, token, payload)
        if self.single_use:
            if not isinstance(payload.get("n"), str):
                raise LinkRefused("invalid")
            if session.scalar(select(UsedToken.digest).where(UsedToken.digest == link.digest)):
                raise LinkRefused("used")
        return link


@dataclass(frozen=True)
class Link:
    """A genuine link as opened: its kind, the token as typed (to build its own URL again) and the payload."""

    kind: LinkKind
    token: str
    payload: dict = field(hash=False)

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.kind.purpose}:{self.payload.get('n')}".encode()).hexdigest()

    def use(self, session: Session) -> None:
        """Spend the link inside the caller's transaction; a replay racing us loses."""
        if not self.kind.single_use:
            return
        session.add(UsedToken(digest=self.digest, purpose=self.kind.purpose))
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raise LinkRefused("used") from None


def refused_page(refused: LinkRefused, purpose: str = "") -> tuple[str, int]:
    """The one clear page for an e-mailed link that cannot be used."""
    page = refused.page or render_template("links/refused.html", why=refused.why, purpose=purpose)
    return page, refused.status


def signed_link(kind: LinkKind) -> Callable:
    """Wrap a link view `view(link, **values)`: it is called only with a genuine, live link, and any
    LinkRefused it raises (a record that moved on, a replay that lost the race) rolls back and is answered
    with the refusal page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def answer(token: str, **values):
            session = db.session
            try:
                return view(kind.read(session, token), **values)
            except LinkRefused as refused:
                session.rollback()
                return refused_page(refused, kind.purpose)

        return answer

    return decorate

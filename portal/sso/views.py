"""Signing in through an agency's identity provider: the start, the provider's reply, a refusal in plain words."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from portal.access import safe_next
from portal.accounts.views import _login_limit
from portal.extensions import db, limiter
from portal.models import IdentityProvider, User
from portal.sso import clients, identity
from portal.sso.identity import SignInRefused
from portal.accounts.providers import required_provider
from portal.sign_out import SIGN_OUT_AT
from portal.urls import external_url

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)


def _enabled(provider_id: int) -> IdentityProvider:
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None or not provider.enabled:
        abort(404)
    return provider


@bp.route("/sign-in/with/<id:provider_id>")
def start(provider_id: int):
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    provider = _enabled(provider_id)
    session["sso_provider"] = provider.id
    session["sso_next"] = safe_next(request.args.get("next"), url_for("home.index"))
    try:
        return clients.start(provider, current_app.config["SETTINGS"], external_url("sso.callback"))
    except SignInRefused as refused:
        return _refused(provider, refused)


@bp.route("/sign-in/callback")
@limiter.limit(_login_limit)
def callback():
    provider_id = session.get("sso_provider")
    provider = db.session.get(IdentityProvider, provider_id) if isinstance(provider_id, int) else None
    if provider is None or not provider.enabled:
        return _refused(None, SignInRefused("state", "no sign-in was started in this session"))
    settings = current_app.config["SETTINGS"]
    try:
        claims, id_token = clients.finish(provider, settings)
        user = _person(provider, claims)
    except SignInRefused as refused:
        db.session.rollback()
        return _refused(provider, refused)
    session.pop("sso_provider", None)
    target = safe_next(session.pop("sso_next", None), url_for("home.index"))
    login_user(user)
    sign_out_at = clients.end_session_url(provider, settings, id_token, external_url("home.index"))
    if sign_out_at:
        session[SIGN_OUT_AT] = sign_out_at
    return redirect(target)


def _person(provider: IdentityProvider, claims: dict) -> User:
    """Found, linked or created, and committed; a first sign-in racing another for the same person (the
    same address or subject) is tried once more, when the other has made the account."""
    for _ in range(2):
        try:
            user = identity.person_for_claims(db.session, provider, claims)
            db.session.commit()
            return user
        except IntegrityError:
            db.session.rollback()
    raise SignInRefused("state", "the account was being made by another sign-in at the same moment")


def _refused(provider: IdentityProvider | None, refused: SignInRefused):
    """Logged and audited, then said in plain words, with password sign-in offered where it is allowed."""
    log.warning("sign-in through provider %s refused: %s (%s) %s", provider.id if provider else "-", refused.reason,
                refused.email or "-", refused.detail)
    if provider is not None:
        identity.record_refusal(db.session, provider, refused)
        db.session.commit()
        status, heading, text = identity.refusal_words(refused, provider)
    else:
        status, heading, text = identity.REFUSALS[refused.reason]
        heading, text = (words.format(provider="your agency's sign-in", domains="") for words in (heading, text))
    password_allowed = not (refused.email and required_provider(db.session, refused.email))
    return render_template("sso/refused.html", heading=heading, text=text, provider=provider,
                           password_allowed=password_allowed), status


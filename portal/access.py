"""Who may see what: decorators for views and the one place that loads a record for a person."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from workflows import Refused

NOT_CONFIRMED = ("Confirm your e-mail address first: open the link we sent you when you registered. "
                 "If you cannot find it, use “Send the link again” at the top of this page.")


def verified_required(view):
    """Signed in with a confirmed address (User.is_verified: verified_at is set). Signed out: to sign in. Signed in
    but not confirmed: refused here with what to do (403); every page's banner offers the link again."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        if not current_user.is_verified:
            raise Refused(NOT_CONFIRMED, 403, code="email_not_confirmed")
        return view(*args, **kwargs)
    return wrapper


def site_admin_required(view):
    @wraps(view)
    @verified_required
    def wrapper(*args, **kwargs):
        if not current_user.is_site_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def safe_next(target: str | None, default: str) -> str:
    """Only local paths: never an absolute or scheme-relative URL from the query string."""
    if not target or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target

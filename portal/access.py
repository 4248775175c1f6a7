"""Who may see what: decorators for views and the one place that loads a record for a person."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user


def verified_required(view):
    """Signed in with a verified address; anything else is sent to sign in or to verify."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        if not current_user.is_verified:
            flash("Confirm your e-mail address first: we sent you a link when you registered.", "info")
            return redirect(url_for("accounts.unverified"))
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

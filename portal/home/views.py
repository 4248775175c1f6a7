"""The front page: for a signed-in person, their own to-do list."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.extensions import db
from portal.home.todo import needs_me

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Signed out: what oneAPS is. Signed in and confirmed: what needs me."""
    todo = None
    if current_user.is_authenticated and current_user.is_verified:
        todo = needs_me(db.session, current_user._get_current_object())
    return render_template("home/index.html", todo=todo)


@bp.route("/healthz")
def health():
    """For load balancers: the app answers and the database does too."""
    from sqlalchemy import text

    from portal.extensions import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

"""The front page."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    return render_template("home/index.html")


@bp.route("/healthz")
def health():
    """For load balancers: the app answers and the database does too."""
    from sqlalchemy import text

    from portal.extensions import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}

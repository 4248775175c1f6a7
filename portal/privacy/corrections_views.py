"""Correction requests for admins: their agency's (site admins: all), each decided once, with a note."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import verified_required
from portal.extensions import db
from portal.forms import submitted_version
from portal.models import CorrectionRequest
from portal.privacy import corrections
from portal.privacy.forms import DecisionForm

bp = Blueprint("corrections", __name__, url_prefix="/admin/corrections")


def _admin_only() -> None:
    if not (current_user.is_site_admin or current_user.administered_agency_ids):
        abort(403)


@bp.route("/")
@verified_required
def index():
    _admin_only()
    statement = select(CorrectionRequest).options(joinedload(CorrectionRequest.user)).order_by(
        CorrectionRequest.state != "pending", CorrectionRequest.created_at.desc()).limit(200)
    if not current_user.is_site_admin:
        statement = statement.where(CorrectionRequest.agency_id.in_(current_user.administered_agency_ids),
                                    CorrectionRequest.user_id != current_user.id)
    return render_template("privacy/corrections.html", requests=list(db.session.scalars(statement)))


@bp.route("/<id:correction_id>", methods=["GET", "POST"])
@verified_required
def decide(correction_id: int):
    _admin_only()
    found = db.session.scalar(select(CorrectionRequest).where(CorrectionRequest.id == correction_id)
                              .options(joinedload(CorrectionRequest.user)).with_for_update(of=CorrectionRequest))
    if found is None or not corrections.roles_for(current_user, found):
        abort(404, "There is no correction request here for you.")
    form = DecisionForm()
    choice = request.form.get("decision")
    if form.validate_on_submit() and choice in ("accept", "decline"):
        corrections.decide(db.session, found, current_user, choice == "accept", form.note.data,
                           expected_version=submitted_version())
        db.session.commit()
        flash(f"Your decision on {found.user.name}'s request has been recorded and e-mailed to them.", "success")
        return redirect(url_for("corrections.index"))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and choice not in ("accept", "decline"):
        form.note.errors.append("Choose whether you corrected it or not")
    return render_template("privacy/decide.html", correction=found, form=form), status

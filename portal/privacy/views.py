"""Your data and privacy: download what the portal holds about you, ask for a correction, close your account."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from portal import links
from portal.access import verified_required
from portal.accounts.passwords import verify_password
from portal.extensions import db, limiter
from portal.models import CorrectionRequest, DataExport
from portal.privacy import closing, corrections, export
from portal.privacy.forms import CloseAccountForm, CorrectionForm

bp = Blueprint("privacy", __name__, url_prefix="/account/privacy")


def _per_person() -> str:
    """Limits count per person, not per address: a whole agency may share one proxy."""
    return f"person:{current_user.get_id()}"


def _page(correction: CorrectionForm | None = None, closing_form: CloseAccountForm | None = None, status: int = 200):
    session = db.session
    requests = session.scalars(select(CorrectionRequest).where(CorrectionRequest.user_id == current_user.id)
                               .order_by(CorrectionRequest.id.desc()))
    pending_export = session.scalar(select(DataExport.id).where(
        DataExport.user_id == current_user.id, DataExport.ready_at.is_(None)).limit(1))
    return render_template("privacy/index.html", correction=correction or CorrectionForm(),
                           closing=closing_form or CloseAccountForm(), requests=list(requests),
                           pending_export=pending_export is not None), status


@bp.route("/")
@verified_required
def index():
    return _page()


@bp.route("/download", methods=["POST"])
@verified_required
@limiter.limit("5 per day", key_func=_per_person)
def request_download():
    export.request_export(db.session, current_user._get_current_object())
    db.session.commit()
    flash("We are putting your data together. We will e-mail you a download link within a few minutes; it works "
          "once, for 24 hours, and only when you are signed in.", "success")
    return redirect(url_for("privacy.index"))


@bp.route("/download/<token>")
@verified_required
@links.signed_link(export.EXPORT_LINK)
def download(link: links.Link):
    content = export.claim_download(db.session, link, current_user._get_current_object())
    db.session.commit()
    return Response(content, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="oneaps-my-data.zip"'})


@bp.route("/corrections", methods=["POST"])
@verified_required
def request_correction():
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _page(correction=form, status=422)
    corrections.ask(db.session, current_user._get_current_object(), form.subject.data, form.details.data)
    db.session.commit()
    flash("Your correction request has been sent to an admin of your agency. We will e-mail you their decision.",
          "success")
    return redirect(url_for("privacy.index"))


@bp.route("/close", methods=["POST"])
@verified_required
@limiter.limit("10 per hour", key_func=_per_person)
def close_account():
    form = CloseAccountForm()
    valid = form.validate_on_submit()
    if valid and not verify_password(current_user.password_hash, form.password.data):
        form.password.errors.append("That is not your password")
        valid = False
    if not valid:
        return _page(closing_form=form, status=422)
    withdrawn = closing.close_account(db.session, current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(f"Your account is closed{f' and {withdrawn} open application(s) withdrawn' if withdrawn else ''}. "
          "Thank you for taking part in oneAPS.", "info")
    return redirect(url_for("home.index"))

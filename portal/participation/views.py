"""Arrangement and certificate pages: view, download, acknowledge by signed link, mark complete."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from portal import links
from portal.access import verified_required
from portal.applications import services
from portal.applications.forms import ActionForm
from portal.applications.review_views import back_to_review, host_application
from portal.applications.views import load_application
from portal.errors import shown_on
from portal.extensions import db
from portal.models import Arrangement, Certificate
from portal.participation import paperwork
from portal.participation.forms import CompleteForm
from workflows.application import MACHINE, completion_step

bp = Blueprint("participation", __name__)


def _pdf(content: bytes, filename: str):
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _arrangement(arrangement_id: int) -> Arrangement:
    arrangement = db.session.scalar(select(Arrangement).where(Arrangement.id == arrangement_id)
                                    .options(selectinload(Arrangement.acknowledgements)))
    if arrangement is None:
        abort(404)
    application = load_application(arrangement.application_id)
    if not paperwork.may_see_paperwork(current_user, application):
        abort(404)
    return arrangement


@bp.route("/arrangements/<id:arrangement_id>")
@verified_required
def arrangement(arrangement_id: int):
    found = _arrangement(arrangement_id)
    versions = db.session.scalars(select(Arrangement).where(Arrangement.application_id == found.application_id)
                                  .order_by(Arrangement.version.desc())).all()
    return render_template("applications/arrangement.html", arrangement=found, application=found.application,
                           versions=versions, owed=paperwork.owed_by(db.session, current_user, found.id),
                           form=ActionForm())


@bp.route("/arrangements/<id:arrangement_id>/pdf")
@verified_required
def arrangement_pdf(arrangement_id: int):
    found = _arrangement(arrangement_id)
    if not found.pdf:
        abort(404)
    return _pdf(found.pdf, f"{found.reference}-v{found.version}.pdf")


@bp.route("/arrangements/acknowledge/<token>", methods=["GET", "POST"])
@links.signed_link(paperwork.ACK_LINK)
def acknowledge(link: links.Link):
    session = db.session
    ack = paperwork.acknowledgement_for(session, link)
    form = ActionForm()
    if form.validate_on_submit():
        ack = paperwork.acknowledge(session, link)
        session.commit()
        return render_template("applications/acknowledged.html", ack=ack)
    return render_template("applications/acknowledge.html", ack=ack, form=form)


@bp.route("/applications/<id:application_id>/certificate")
@verified_required
def certificate(application_id: int):
    application = load_application(application_id, roles={"applicant", "host", "agency_admin", "site_admin"})
    found = db.session.scalar(select(Certificate).where(Certificate.application_id == application.id)
                              .options(undefer(Certificate.pdf)))
    if found is None or not found.pdf:
        abort(404)
    return _pdf(found.pdf, f"{found.reference}.pdf")


@bp.route("/applications/<id:application_id>/complete", methods=["GET", "POST"])
@verified_required
def complete(application_id: int):
    """The host marks one participation complete: refused before it starts; before its end date, with a reason."""
    application = host_application(application_id)
    if not services.roles_for(current_user, application) & MACHINE.transitions["complete"].roles:
        abort(403)  # an agency admin may see the applicants but not mark the work done
    form = CompleteForm()
    if form.validate_on_submit():
        session = db.session
        application = services.locked(session, application.id)
        with shown_on(form):
            services.complete(session, application, services.actor_for(current_user, application),
                              form.early_finish_reason.data)
            session.commit()
            flash(f"{application.applicant.name}'s participation is marked complete. Their certificate is on its way.",
                  "success")
            return back_to_review(application)
    status = 200 if not form.errors else 422 if form.early_finish_reason.errors else 409
    opportunity = application.opportunity
    return render_template("applications/complete.html", application=application, form=form,
                           step=completion_step(opportunity.start_date, opportunity.end_date)), status

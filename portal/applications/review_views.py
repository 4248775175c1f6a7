"""The host's side: the applicants list for one opportunity and the decisions taken from it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import transitions
from portal.access import verified_required
from portal.applications import queries, services
from portal.applications.blueprint import bp
from portal.applications.forms import ActionForm, NotSelectedForm
from portal.applications.views import load_application, load_opportunity
from portal.extensions import db
from portal.forms import submitted_version
from portal.models import Application, Opportunity
from portal.opportunities import places
from workflows.application import completion_step

HOST_ROLES = {"host", "agency_admin", "site_admin"}


def may_review(opportunity: Opportunity) -> bool:
    user = current_user
    return opportunity.is_owned_by(user) or user.administers(opportunity.host_agency_id)


def host_application(application_id: int) -> Application:
    application = load_application(application_id, roles=HOST_ROLES)
    if not may_review(application.opportunity):
        abort(404)
    return application


def back_to_review(application: Application):
    return redirect(url_for("applications.review", opportunity_id=application.opportunity_id))


@bp.route("/opportunities/<id:opportunity_id>/applicants")
@verified_required
def review(opportunity_id: int):
    opportunity = load_opportunity(opportunity_id)
    if not may_review(opportunity):
        abort(404)
    applications = queries.applicants_of(db.session, opportunity.id)
    wanted = {s.id for s in opportunity.skills}
    taken = sum(1 for a in applications if places.holds_a_place(a))
    return render_template("applications/review.html", opportunity=opportunity, applications=applications,
                           wanted=wanted, positions_open=places.positions_open(opportunity, taken), form=ActionForm(),
                           completion_step=completion_step,
                           changes=queries.pending_date_changes(db.session, [a.id for a in applications]))


def _act(application_id: int, move, done: str):
    """Lock, apply one host decision, commit, and go back to the list."""
    application = host_application(application_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session
    application = services.locked(session, application.id)
    move(session, application, services.actor_for(current_user, application))
    session.commit()
    flash(done.format(name=application.applicant.name), "success")
    return back_to_review(application)


@bp.route("/applications/<id:application_id>/shortlist", methods=["POST"])
@verified_required
def shortlist(application_id: int):
    return _act(application_id, lambda s, a, actor: transitions.apply(
        s, services.KIND, a, "shortlist", actor, expected_version=submitted_version()),
        "{name} is on the shortlist.")


@bp.route("/applications/<id:application_id>/select", methods=["POST"])
@verified_required
def select(application_id: int):
    return _act(application_id, services.select_applicant,
                "{name} is selected. We have asked their home manager to approve.")


@bp.route("/applications/<id:application_id>/not-selected", methods=["GET", "POST"])
@verified_required
def not_selected(application_id: int):
    application = host_application(application_id)
    form = NotSelectedForm()
    if form.validate_on_submit():
        session = db.session
        application = services.locked(session, application.id)
        services.not_select(session, application, services.actor_for(current_user, application),
                            form.message.data or None)
        session.commit()
        flash(f"{application.applicant.name} has been told, kindly, that they were not selected.", "success")
        return back_to_review(application)
    return render_template("applications/not_selected.html", application=application, form=form), \
        200 if not form.errors else 422


@bp.route("/opportunities/<id:opportunity_id>/applicants/not-selected", methods=["POST"])
@verified_required
def not_selected_rest(opportunity_id: int):
    opportunity = load_opportunity(opportunity_id)
    if not may_review(opportunity):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session
    if places.positions_open_now(session, opportunity) > 0 and opportunity.state == "open":
        flash("There are still positions to fill. Select people first, or mark applicants one by one.", "error")
        return redirect(url_for("applications.review", opportunity_id=opportunity.id))
    count = 0
    for application in session.scalars(services.waiting_applications(opportunity.id)):
        services.not_select(session, application, services.actor_for(current_user, application), None)
        count += 1
    session.commit()
    flash(f"{count} applicant{'s' if count != 1 else ''} told they were not selected.", "success")
    return redirect(url_for("applications.review", opportunity_id=opportunity.id))

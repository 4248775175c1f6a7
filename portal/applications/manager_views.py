"""The home manager's side: decide by signed e-mail link (no account) or in the portal."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import links
from portal.access import verified_required
from portal.applications import queries, services
from portal.applications.forms import DecisionForm
from portal.applications.blueprint import bp
from portal.applications.views import load_application
from portal.extensions import db
from portal.models import Application

DECIDERS = {"home_manager", "agency_admin", "site_admin"}


def _no_decision_needed(application: Application):
    """The request is no longer open: already decided, lapsed (gone, like an expired link) or withdrawn."""
    return render_template("applications/decided.html", application=application,
                           lapse_days=current_app.config["SETTINGS"].home_manager_lapse_days), \
        410 if application.state == "lapsed" else 409


def _choice(form: DecisionForm) -> str | None:
    """The button pressed ("approve" or "decline"), or None with an error next to the comment."""
    choice = request.form.get("decision")
    if choice in ("approve", "decline"):
        return choice
    form.comment.errors.append("Choose approve or decline.")
    return None


@bp.route("/applications/decision/<token>", methods=["GET", "POST"])
def manager_decision(token: str):
    session = db.session
    try:
        payload = links.read_token(session, services.HOME_MANAGER_PURPOSE, token,
                                   max_age_seconds=services.home_manager_link_max_age())
    except links.LinkRefused as refused:
        return links.refused_page(refused, "home-manager")
    form = DecisionForm()
    submitted = form.validate_on_submit()
    application = services.locked(session, payload["aid"]) if submitted else session.get(Application, payload["aid"])
    if application is None:
        abort(404)
    if application.state != "manager_approval":
        return _no_decision_needed(application)
    if submitted and (choice := _choice(form)):
        try:
            links.consume_token(session, services.HOME_MANAGER_PURPOSE, token)
        except links.LinkRefused as refused:
            return links.refused_page(refused, "home-manager")
        services.decide(session, application, services.home_manager_actor(application),
                        approve=choice == "approve", comment=form.comment.data or None)
        session.commit()
        return render_template("applications/decided.html", application=application, thanked=True)
    return render_template("applications/decision.html", application=application, form=form,
                           action=url_for("applications.manager_decision", token=token)), \
        200 if not form.errors else 422


@bp.route("/applications/<int:application_id>/decision", methods=["GET", "POST"])
@verified_required
def decide(application_id: int):
    application = load_application(application_id, roles=DECIDERS)
    form = DecisionForm()
    if application.state != "manager_approval":
        return _no_decision_needed(application)
    if form.validate_on_submit() and (choice := _choice(form)):
        session = db.session
        application = services.locked(session, application.id)
        services.decide(session, application, services.actor_for(current_user, application),
                        approve=choice == "approve", comment=form.comment.data or None)
        session.commit()
        flash(f"Thank you: your decision about {application.applicant.name} has been recorded.", "success")
        return redirect(url_for("applications.manager_queue"))
    return render_template("applications/decision.html", application=application, form=form,
                           action=url_for("applications.decide", application_id=application.id)), \
        200 if not form.errors else 422


@bp.route("/applications/approvals")
@verified_required
def manager_queue():
    items = queries.manager_queue(db.session, current_user.email)
    return render_template("applications/manager_queue.html", items=items)

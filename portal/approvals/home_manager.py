"""The home manager's side: decide by signed e-mail link (no account) or in the portal."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import errors, links
from portal.access import verified_required
from portal.applications import load, queries, services
from portal.applications.forms import DecisionForm
from portal.applications.views import load_application
from portal.extensions import db
from portal.forms import pressed
from portal.models import Application

bp = Blueprint("home_manager", __name__)
DECIDERS = {"home_manager", "agency_admin", "site_admin"}


def _no_decision_needed(application: Application) -> links.LinkRefused:
    """The request is no longer open: already decided or withdrawn (409), or lapsed (410, gone like an
    expired link); the page says which."""
    page = render_template("applications/decided.html", application=application,
                           lapse_days=current_app.config["SETTINGS"].home_manager_lapse_days)
    return links.LinkRefused("expired" if application.state == "lapsed" else "not_needed", page=page)


def _choice(form: DecisionForm) -> str | None:
    return pressed(form, ("approve", "decline"), "Choose approve or decline.")

@bp.route("/applications/decision/<token>", methods=["GET", "POST"])
@links.signed_link(services.HOME_MANAGER_LINK)
def manager_decision(link: links.Link):
    session = db.session
    form = DecisionForm()
    submitted = form.validate_on_submit()
    application_id = link.payload["aid"]
    application = services.locked(session, application_id) if submitted else session.get(Application, application_id)
    if application is None:
        raise links.LinkRefused("invalid")
    if application.state != "manager_approval":
        raise _no_decision_needed(application)
    if submitted and (choice := _choice(form)):
        with errors.shown_on(form):
            link.use(session)
            services.decide(session, application, services.home_manager_actor(application),
                            approve=choice == "approve", comment=form.comment.data or None,
                            conditions=form.conditions.data or None,
                            total_agreed=form.agree_total.data)
            session.commit()
            return render_template("applications/decided.html", application=application, thanked=True)
    return _page(application, form, url_for("home_manager.manager_decision", token=link.token))


def _page(application: Application, form: DecisionForm, action: str):
    """The decision page: what the work is, the time it takes with everything else the participant does (one
    query), and the form; 422 when the form came back with errors."""
    return render_template("applications/decision.html", application=application, form=form, action=action,
                           load=load.load_of(db.session, application)), 200 if not form.errors else 422


@bp.route("/applications/<id:application_id>/decision", methods=["GET", "POST"])
@verified_required
def decide(application_id: int):
    application = load_application(application_id, roles=DECIDERS)
    form = DecisionForm()
    if application.state != "manager_approval":
        return links.refused_page(_no_decision_needed(application))
    if form.validate_on_submit() and (choice := _choice(form)):
        session = db.session
        with errors.shown_on(form):
            application = services.locked(session, application.id)
            services.decide(session, application, services.actor_for(current_user, application),
                            approve=choice == "approve", comment=form.comment.data or None,
                            conditions=form.conditions.data or None,
                            total_agreed=form.agree_total.data)
            session.commit()
            flash(f"Thank you: your decision about {application.applicant.name} has been recorded.", "success")
            return redirect(url_for("home_manager.manager_queue"))
    return _page(application, form, url_for("home_manager.decide", application_id=application.id))


@bp.route("/applications/approvals")
@verified_required
def manager_queue():
    items = queries.manager_queue(db.session, current_user.email)
    return render_template("applications/manager_queue.html", items=items)

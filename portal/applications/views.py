"""The employee's side: apply, follow every application, withdraw, fetch a CV."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.utils import secure_filename

from portal import transitions
from portal.access import verified_required
from portal.applications import cv, services, tracker
from portal.applications.blueprint import bp
from portal.applications.forms import ActionForm, ApplyForm
from portal.extensions import db
from portal.forms import submitted_version
from portal.models import Application, Opportunity
from portal.opportunities import policy
from portal.opportunities import queries as opportunity_queries


def load_opportunity(opportunity_id: int) -> Opportunity:
    """The opportunity, or 404 for anyone who may not see it (one rule: portal.opportunities.policy)."""
    opportunity, _ = opportunity_queries.load_for(db.session, opportunity_id, current_user._get_current_object())
    return opportunity


def load_application(application_id: int, *, roles: set[str] | None = None) -> Application:
    """The application for someone with a role on it (any role, or one of `roles`), else 404."""
    application = db.session.scalar(select(Application).where(Application.id == application_id).options(
        joinedload(Application.opportunity).selectinload(Opportunity.coowners), joinedload(Application.applicant)))
    if application is None:
        abort(404)
    held = services.roles_for(current_user, application)
    if not held or (roles is not None and not held & roles):
        abort(404)
    return application


@bp.route("/opportunities/<id:opportunity_id>/apply", methods=["GET", "POST"])
@verified_required
def apply(opportunity_id: int):
    session = db.session
    opportunity = load_opportunity(opportunity_id)
    user = current_user._get_current_object()
    refused = policy.cannot_apply(user, opportunity, services.has_applied(session, user, opportunity))
    if refused:
        return render_template("applications/cannot_apply.html", opportunity=opportunity,
                               why_not=refused.message), refused.status
    form = ApplyForm()
    if request.method == "GET":
        form.home_manager_name.data = user.supervisor_name
        form.home_manager_email.data = user.supervisor_email
    if form.validate_on_submit():
        upload = form.cv.data
        data = upload.read() if upload and upload.filename else b""
        settings = current_app.config["SETTINGS"]
        if form.home_manager_email.data.lower() == user.email.lower():
            form.home_manager_email.errors.append("Your home manager must be someone other than you.")
        if data and (problem := cv.problem_with(data, settings.cv_max_bytes)):
            form.cv.errors.append(problem)
        if not form.errors:
            stored = cv.store(settings, data) if data else None
            services.create(session, user, opportunity, statement=form.statement.data,
                            relevant_skills=form.relevant_skills.data or None,
                            availability=form.availability.data or None,
                            development_goals=form.development_goals.data or None,
                            home_manager_name=form.home_manager_name.data,
                            home_manager_email=form.home_manager_email.data,
                            cv_filename=(secure_filename(upload.filename) or "cv.pdf") if data else None,
                            cv_path=stored)
            session.commit()
            flash(f"Your application for {opportunity.title} has been sent. We have e-mailed you a copy.", "success")
            return redirect(url_for("applications.mine"))
    return render_template("applications/apply.html", form=form, opportunity=opportunity), \
        200 if not form.errors else 422


@bp.route("/applications")
@verified_required
def mine():
    return render_template("applications/mine.html", cards=tracker.tracker_cards(db.session, current_user.id))


@bp.route("/applications/<id:application_id>/cv")
@verified_required
def cv_download(application_id: int):
    application = load_application(application_id, roles={"applicant", "host", "agency_admin", "site_admin"})
    if not application.cv_path:
        abort(404)
    path = cv.path_of(current_app.config["SETTINGS"], application.cv_path)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=application.cv_filename or "cv.pdf", max_age=0)


@bp.route("/applications/<id:application_id>/withdraw", methods=["GET", "POST"])
@verified_required
def withdraw(application_id: int):
    application = load_application(application_id, roles={"applicant"})
    form = ActionForm()
    if form.validate_on_submit():
        session = db.session
        application = services.locked(session, application.id)
        transitions.apply(session, services.KIND, application, "withdraw", services.actor_for(current_user, application),
                          expected_version=submitted_version())
        session.commit()
        flash("You have withdrawn your application. The host team has been told.", "success")
        return redirect(url_for("applications.mine"))
    return render_template("applications/withdraw.html", application=application, form=form)

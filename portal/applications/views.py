"""The employee's side: apply, follow every application, withdraw, fetch a CV."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.utils import secure_filename

from portal import transitions
from portal.access import verified_required
from portal.applications import cv, queries, services
from portal.applications.forms import ActionForm, ApplyForm
from portal.extensions import db
from portal.forms import submitted_version
from portal.models import Application, Opportunity
from portal.models.applications import STATES as APPLICATION_STATES
from portal.opportunities import records
from portal.models.opportunities import CLEARANCES, COMMITMENT_BANDS, COMMITMENT_KINDS, WORK_MODES

bp = Blueprint("applications", __name__)

HIDDEN_STATES = ("draft", "approval", "rejected")


@bp.app_context_processor
def _labels() -> dict:
    """Words for stored codes, for this feature's templates and the partials other pages include."""
    return {"opportunity_labels": {"modes": WORK_MODES, "commitment": COMMITMENT_KINDS, "bands": COMMITMENT_BANDS,
                                   "clearances": CLEARANCES},
            "application_state_labels": APPLICATION_STATES}


def load_opportunity(opportunity_id: int) -> Opportunity:
    """The opportunity, or 404 when it does not exist or is not published and not this person's."""
    opportunity = db.session.scalar(select(Opportunity).where(Opportunity.id == opportunity_id)
                                    .options(selectinload(Opportunity.coowners), selectinload(Opportunity.skills)))
    if opportunity is None:
        abort(404)
    if opportunity.state in HIDDEN_STATES and not opportunity.is_owned_by(current_user):
        abort(404)
    if opportunity.restricted_to_agency and opportunity.host_agency_id != current_user.agency_id \
            and not records.roles_for(current_user, opportunity):
        abort(404)  # "only people from the host agency can see and apply", as on its own page and in search
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


@bp.route("/opportunities/<int:opportunity_id>/apply", methods=["GET", "POST"])
@verified_required
def apply(opportunity_id: int):
    session = db.session
    opportunity = load_opportunity(opportunity_id)
    user = current_user._get_current_object()
    why_not = services.refusal(user, opportunity, services.has_applied(session, user, opportunity))
    if why_not:
        status = 403 if user.is_contractor or opportunity.is_owned_by(user) else 409
        return render_template("applications/cannot_apply.html", opportunity=opportunity, why_not=why_not), status
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
    rows = queries.my_applications(db.session, current_user.id)
    return render_template("applications/mine.html", rows=rows, form=ActionForm(),
                           recognition=queries.recognition(db.session, current_user.id))


@bp.route("/applications/<int:application_id>/cv")
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


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@verified_required
def withdraw(application_id: int):
    application = load_application(application_id, roles={"applicant"})
    form = ActionForm()
    if form.validate_on_submit():
        session = db.session
        application = services.locked(session, application.id)
        transitions.apply(session, application, "withdraw", services.actor_for(current_user, application),
                          expected_version=submitted_version())
        session.commit()
        flash("You have withdrawn your application. The host team has been told.", "success")
        return redirect(url_for("applications.mine"))
    return render_template("applications/withdraw.html", application=application, form=form)


from portal.applications import feedback_views, manager_views, paperwork_views, review_views  # noqa: E402,F401  routes on bp

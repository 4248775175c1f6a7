"""People and their roles (site admins), and an agency's people and participations (its agency admins too)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from portal.access import site_admin_required
from portal.accounts.domains import agencies_for_email
from portal.admin import services
from portal.admin.forms import GrantAgencyAdminForm, MovePersonForm
from portal.admin.views import PAGE_SIZE, _administered_agency, _done, _page, admin_required
from portal.extensions import db
from portal.models import Agency, Application, AuditEvent, Opportunity, User

bp = Blueprint("admin_people", __name__, url_prefix="/admin")


@bp.route("/users")
@site_admin_required
def users():
    query = (request.args.get("q") or "").strip()[:100]
    statement = select(User).order_by(User.name)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    page = _page()
    people = list(db.session.scalars(statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).unique())
    return render_template("admin/users.html", people=people[:PAGE_SIZE], q=query, page=page,
                           has_next=len(people) > PAGE_SIZE)


@bp.route("/users/<id:user_id>")
@site_admin_required
def user(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    grant = GrantAgencyAdminForm(prefix="grant")
    grant.agency_id.choices = [(0, "Choose an agency")] + [
        (a.id, a.name) for a in db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name))]
    events = list(db.session.scalars(select(AuditEvent).where(
        or_(AuditEvent.actor_id == person.id, (AuditEvent.record_type == "user") & (AuditEvent.record_id == person.id)))
        .order_by(AuditEvent.created_at.desc()).limit(20)))
    return render_template("admin/user.html", person=person, grant=grant, events=events)


@bp.route("/users/<id:user_id>/<any(disable, enable):action>", methods=["POST"])
@site_admin_required
def set_disabled(user_id: int, action: str):
    person = db.session.get(User, user_id) or abort(404)
    services.set_disabled(db.session, person, action == "disable", current_user)
    return _done(f"{person.name} is {'disabled' if action == 'disable' else 'enabled'}.", "admin_people.user", user_id=user_id)


@bp.route("/users/<id:user_id>/site-admin", methods=["POST"])
@site_admin_required
def set_site_admin(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    grant = request.form.get("grant") == "1"
    services.set_site_admin(db.session, person, grant, current_user)
    return _done("Roles updated.", "admin_people.user", user_id=user_id)


@bp.route("/users/<id:user_id>/agency-admin", methods=["POST"])
@site_admin_required
def grant_agency_admin(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    form = GrantAgencyAdminForm(prefix="grant")
    form.agency_id.choices = [(a.id, a.name) for a in db.session.scalars(select(Agency))]
    if not form.validate_on_submit():
        flash("Choose an agency.", "error")
        return redirect(url_for("admin_people.user", user_id=user_id))
    agency = db.session.get(Agency, form.agency_id.data) or abort(404)
    services.set_agency_admin(db.session, person, agency, True, current_user)
    return _done(f"{person.name} is now an agency admin for {agency.name}.", "admin_people.user", user_id=user_id)


@bp.route("/users/<id:user_id>/agency-admin/<id:agency_id>/revoke", methods=["POST"])
@site_admin_required
def revoke_agency_admin(user_id: int, agency_id: int):
    person = db.session.get(User, user_id) or abort(404)
    agency = db.session.get(Agency, agency_id) or abort(404)
    services.set_agency_admin(db.session, person, agency, False, current_user)
    return _done("Roles updated.", "admin_people.user", user_id=user_id)


@bp.route("/agencies/<id:agency_id>/people")
@admin_required
def agency_people(agency_id: int):
    agency = _administered_agency(agency_id)
    page = _page()
    people = list(db.session.scalars(select(User).where(User.agency_id == agency.id).order_by(User.name)
                                     .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).unique())
    shared = {p.id: agencies for p in people[:PAGE_SIZE]
              if len(agencies := agencies_for_email(db.session, p.email)) > 1}
    return render_template("admin/agency_people.html", agency=agency, people=people[:PAGE_SIZE], page=page,
                           has_next=len(people) > PAGE_SIZE, shared=shared, move=MovePersonForm(prefix="move"))


@bp.route("/agencies/<id:agency_id>/participations")
@admin_required
def agency_participations(agency_id: int):
    agency = _administered_agency(agency_id)
    page = _page()
    rows = db.session.execute(
        select(Application, User, Opportunity)
        .join(User, User.id == Application.applicant_id).join(Opportunity, Opportunity.id == Application.opportunity_id)
        .where(Application.state.in_(("manager_approval", "confirmed", "completed")),
               or_(User.agency_id == agency.id, Opportunity.host_agency_id == agency.id))
        .order_by(Application.updated_at.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).unique().all()
    return render_template("admin/agency_participations.html", agency=agency, rows=rows[:PAGE_SIZE], page=page,
                           has_next=len(rows) > PAGE_SIZE)

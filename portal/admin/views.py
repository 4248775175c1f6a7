"""Administration: agencies, skills, an opportunity's owner, allowed domains, the audit log (site admins). People
and roles are admin/people_views.py, who belongs to which agency admin/membership_views.py; the helpers here
(admin_required, paging, _done, _attempt, _administered_agency) serve all three."""
from __future__ import annotations

from datetime import datetime, time
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.access import site_admin_required, verified_required
from portal.accounts.services import allowed_domains, find_user
from portal.admin import services
from portal.admin.forms import AgencyForm, ChangeOwnerForm, DomainForm, MergeAgencyForm, SkillForm
from portal.errors import shown_on
from portal.extensions import db
from portal.forms import supported_date, whole_number
from portal.models import Agency, AllowedDomain, AuditEvent, Opportunity, Skill, User
from portal.models.opportunities import opportunity_skills
from portal.models.users import email_domain_agencies, user_skills
from portal.urls import record_id
from workflows.clock import CANBERRA

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
MAX_PAGE = 100_000


def admin_required(view):
    """Site admins, and agency admins (whose pages check the agency themselves)."""
    @wraps(view)
    @verified_required
    def wrapper(*args, **kwargs):
        if not (current_user.is_site_admin or current_user.administered_agency_ids):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _page() -> int:
    return whole_number(request.args.get("page"), 1, MAX_PAGE) or 1


def _done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _attempt(form, change, message: str, endpoint: str, **values):
    """Make an admin change; a refusal is shown on `form` (None is returned) and the form shown again."""
    with shown_on(form):
        change()
    return None if form.errors else _done(message, endpoint, **values)


@bp.route("/")
@admin_required
def index():
    agencies = list(db.session.scalars(select(Agency).order_by(Agency.name))) if current_user.is_site_admin \
        else sorted(current_user.admin_of, key=lambda a: a.name)
    return render_template("admin/index.html", agencies=agencies[:200])


# ---- agencies -----------------------------------------------------------------------------------

@bp.route("/agencies", methods=["GET", "POST"])
@site_admin_required
def agencies():
    form = AgencyForm()
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.save_agency(db.session, None, _agency_values(form), current_user),
            "The agency has been added.", "admin.agencies")):
        return done
    people = select(User.agency_id, func.count(User.id).label("n")).group_by(User.agency_id).subquery()
    hosted = select(Opportunity.host_agency_id.label("agency_id"), func.count(Opportunity.id).label("n")) \
        .group_by(Opportunity.host_agency_id).subquery()
    rows = db.session.execute(
        select(Agency, func.coalesce(people.c.n, 0), func.coalesce(hosted.c.n, 0))
        .outerjoin(people, people.c.agency_id == Agency.id).outerjoin(hosted, hosted.c.agency_id == Agency.id)
        .order_by(Agency.active.desc(), Agency.name)).all()
    agency_domains: dict[int, list[str]] = {}
    for domain, agency_id in db.session.execute(select(email_domain_agencies.c.domain, email_domain_agencies.c.agency_id)
                                                .order_by(email_domain_agencies.c.domain)):
        agency_domains.setdefault(agency_id, []).append(domain)
    return render_template("admin/agencies.html", rows=rows, form=form, agency_domains=agency_domains), \
        200 if not form.errors else 422


def _agency_values(form: AgencyForm) -> dict:
    return {"name": form.name.data, "abbreviation": form.abbreviation.data, "portfolio": form.portfolio.data}


@bp.route("/agencies/<id:agency_id>", methods=["GET", "POST"])
@site_admin_required
def agency(agency_id: int):
    agency = db.session.get(Agency, agency_id) or abort(404)
    form = AgencyForm(obj=agency if request.method == "GET" else None)
    merge = MergeAgencyForm(prefix="merge")
    merge.target_id.choices = [(0, "Choose an agency")] + [
        (a.id, a.name) for a in db.session.scalars(select(Agency).where(Agency.active.is_(True), Agency.id != agency.id)
                                                   .order_by(Agency.name))]
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.save_agency(db.session, agency, _agency_values(form), current_user),
            "The agency has been saved.", "admin.agency", agency_id=agency.id)):
        return done
    return render_template("admin/agency.html", agency=agency, form=form, merge=merge), 200 if not form.errors else 422


@bp.route("/agencies/<id:agency_id>/merge", methods=["POST"])
@site_admin_required
def merge_agency(agency_id: int):
    source = db.session.get(Agency, agency_id) or abort(404)
    form = MergeAgencyForm(prefix="merge")
    form.target_id.choices = [(a.id, a.name) for a in db.session.scalars(select(Agency))]
    if not form.validate_on_submit():
        flash("Choose the agency to merge into.", "error")
        return redirect(url_for("admin.agency", agency_id=agency_id))
    target = db.session.get(Agency, form.target_id.data) or abort(404)
    services.merge_agencies(db.session, source, target, current_user)
    return _done(f"{source.name} has been merged into {target.name}.", "admin.agency", agency_id=target.id)


# ---- skills -------------------------------------------------------------------------------------

@bp.route("/skills", methods=["GET", "POST"])
@site_admin_required
def skills():
    form = SkillForm()
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.save_skill(db.session, None, form.name.data, form.family.data, current_user),
            "The skill has been added.", "admin.skills")):
        return done
    asked = select(opportunity_skills.c.skill_id, func.count().label("n")).group_by(opportunity_skills.c.skill_id).subquery()
    offered = select(user_skills.c.skill_id, func.count().label("n")).group_by(user_skills.c.skill_id).subquery()
    rows = db.session.execute(
        select(Skill, func.coalesce(asked.c.n, 0), func.coalesce(offered.c.n, 0))
        .outerjoin(asked, asked.c.skill_id == Skill.id).outerjoin(offered, offered.c.skill_id == Skill.id)
        .order_by(Skill.family, Skill.name)).all()
    return render_template("admin/skills.html", rows=rows, form=form), 200 if not form.errors else 422


@bp.route("/skills/<id:skill_id>", methods=["GET", "POST"])
@site_admin_required
def skill(skill_id: int):
    skill = db.session.get(Skill, skill_id) or abort(404)
    form = SkillForm(obj=skill if request.method == "GET" else None)
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.save_skill(db.session, skill, form.name.data, form.family.data, current_user),
            "The skill has been saved.", "admin.skills")):
        return done
    return render_template("admin/skill.html", skill=skill, form=form), 200 if not form.errors else 422


@bp.route("/skills/<id:skill_id>/retire", methods=["POST"])
@site_admin_required
def retire_skill(skill_id: int):
    skill = db.session.get(Skill, skill_id) or abort(404)
    retire = request.form.get("retire") == "1"
    services.set_skill_retired(db.session, skill, retire, current_user)
    return _done(f"{skill.name} is {'retired: it stays on old records' if retire else 'available again'}.",
                 "admin.skills")


@bp.route("/opportunities/<id:opportunity_id>/owner", methods=["GET", "POST"])
@site_admin_required
def change_owner(opportunity_id: int):
    opportunity = db.session.get(Opportunity, opportunity_id) or abort(404)
    form = ChangeOwnerForm()
    if form.validate_on_submit():
        new_owner = find_user(db.session, form.email.data)
        if new_owner is None:
            form.email.errors.append("Nobody has an account with that address.")
        elif done := _attempt(form, lambda: services.change_owner(db.session, opportunity, new_owner, current_user),
                              f"{new_owner.name} now owns this opportunity.", "admin.change_owner",
                              opportunity_id=opportunity_id):
            return done
    return render_template("admin/change_owner.html", opportunity=opportunity, form=form), \
        200 if not form.errors else 422


# ---- allowed e-mail domains ------------------------------------------------------------------------

@bp.route("/domains", methods=["GET", "POST"])
@site_admin_required
def domains():
    form = DomainForm()
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.add_domain(db.session, form.domain.data, current_user),
            f"Managers' addresses at {form.domain.data} are now accepted.", "admin.domains")):
        return done
    stored = list(db.session.scalars(select(AllowedDomain.domain).order_by(AllowedDomain.domain)))
    return render_template("admin/domains.html", form=form, stored=stored, effective=allowed_domains(db.session)), \
        200 if not form.errors else 422


@bp.route("/domains/remove", methods=["POST"])
@site_admin_required
def remove_domain():
    services.remove_domain(db.session, (request.form.get("domain") or "").lower(), current_user)
    return _done("The domain has been removed.", "admin.domains")


# ---- audit log ----------------------------------------------------------------------------------

@bp.route("/audit")
@site_admin_required
def audit():
    args = request.args
    statement = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    problems: dict[str, str] = {}
    if person := (args.get("person") or "").strip().lower()[:254]:
        statement = statement.where(or_(AuditEvent.actor_label == person,
                                        AuditEvent.actor_id.in_(select(User.id).where(User.email == person))))
    if record_type := (args.get("record_type") or "").strip()[:30]:
        statement = statement.where(AuditEvent.record_type == record_type)
    if (typed := (args.get("record_id") or "").strip()):
        if (number := record_id(typed)) is not None:
            statement = statement.where(AuditEvent.record_id == number)
        else:
            problems["record_id"] = "Enter the record's number, like 42"
    if action := (args.get("action") or "").strip()[:40]:
        statement = statement.where(AuditEvent.action == action)
    for name, bound in (("date_from", time.min), ("date_to", time.max)):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        try:
            day = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            day = None
        if day is None or not supported_date(day):
            problems[name] = "Enter a date like 2026-11-25, from 2000 to 2099"
            continue
        moment = datetime.combine(day, bound, CANBERRA)
        statement = statement.where(AuditEvent.created_at >= moment if name == "date_from"
                                    else AuditEvent.created_at <= moment)
    page = _page()
    events = [] if problems else list(db.session.scalars(
        statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    record_types = list(db.session.scalars(select(AuditEvent.record_type).distinct().order_by(AuditEvent.record_type)))
    return render_template("admin/audit.html", events=events[:PAGE_SIZE], args=args, problems=problems, page=page,
                           has_next=len(events) > PAGE_SIZE, record_types=record_types), 422 if problems else 200


# ---- an agency admin's own agency (admin/people_views.py, admin/membership_views.py) ---------------------

def _administered_agency(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id) or abort(404)
    if not current_user.administers(agency.id):
        abort(403)
    return agency

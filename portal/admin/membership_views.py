"""Who belongs where: agencies' e-mail domains and the people whose agency disagrees with their address (site
admins); moving a person into an agency and marking contractors (that agency's admins too). Every change is
made by portal.admin.services or portal.accounts.membership, which audit it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access import safe_next, site_admin_required
from portal.accounts import membership as moves
from portal.accounts.domains import agency_disagrees_with_email, membership
from portal.accounts.services import find_user
from portal.admin import services
from portal.admin.forms import AgencyDomainForm, MovePersonForm
from portal.admin.views import PAGE_SIZE, _administered_agency, _attempt, _done, _page, admin_required
from portal.errors import error_response
from portal.extensions import db
from portal.forms import whole_number
from portal.models import Agency, EmailDomain, User
from workflows import Refused

bp = Blueprint("memberships", __name__, url_prefix="/admin")


def _active_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)))


def _agency_from_form() -> Agency | None:
    agency_id = whole_number(request.form.get("agency_id"), 1)  # none chosen, or no number an agency can have
    return (db.session.get(Agency, agency_id) or abort(404)) if agency_id else None


@bp.route("/agency-domains", methods=["GET", "POST"])
@site_admin_required
def agency_domains():
    form = AgencyDomainForm()
    agencies = _active_agencies()
    form.agency_id.choices = [(0, "No agency (an extra domain)")] + [(a.id, a.name) for a in agencies]
    if form.validate_on_submit() and (done := _attempt(
            form, lambda: services.add_agency_domain(
                db.session, form.domain.data, db.session.get(Agency, form.agency_id.data) if form.agency_id.data
                else None, form.contractors_only.data, current_user),
            f"People with {form.domain.data} addresses can now register.", "memberships.agency_domains")):
        return done
    domains = list(db.session.scalars(select(EmailDomain).order_by(EmailDomain.retired_at.is_not(None),
                                                                    EmailDomain.domain)))
    return render_template("admin/agency_domains.html", form=form, domains=domains, agencies=agencies), \
        200 if not form.errors else 422


def _domain(domain: str) -> EmailDomain:
    return db.session.get(EmailDomain, domain.lower()) or abort(404)


@bp.route("/agency-domains/<any(move, share):how>", methods=["POST"])
@site_admin_required
def domain_agency(how: str):
    """Move a domain to an agency, or share it with one more (shared services)."""
    found = db.session.get(EmailDomain, (request.form.get("domain") or "").strip().lower())
    agency = _agency_from_form()
    if found is None or agency is None:
        raise Refused("Choose a domain and an agency.", 422)
    services.set_domain_agency(db.session, found, agency, how == "share", current_user)
    return _done(f"{found.domain} now gives {', '.join(a.name for a in found.agencies)}.",
                 "memberships.agency_domains")


@bp.route("/agency-domains/<domain>/<any(retire, restore):change>", methods=["POST"])
@site_admin_required
def domain_retired(domain: str, change: str):
    found = _domain(domain)
    services.set_domain_retired(db.session, found, change == "retire", current_user)
    return _done(f"{found.domain} is {'retired: nobody new can register with it' if change == 'retire' else 'back in use'}.",
                 "memberships.agency_domains")


@bp.route("/agency-domains/<domain>/contractors", methods=["POST"])
@site_admin_required
def domain_contractors(domain: str):
    found = _domain(domain)
    services.set_domain_contractors_only(db.session, found, request.form.get("contractors_only") == "1", current_user)
    return _done(f"{found.domain} is {'for contractors only' if found.contractors_only else 'open to employees'}.",
                 "memberships.agency_domains")


@bp.route("/agency-mismatches")
@site_admin_required
def agency_mismatches():
    """People whose agency is not one their address's domain gives: registered before agencies owned their
    domains, or moved by an admin. Listed, never changed silently."""
    page = _page()
    people = list(db.session.scalars(select(User).where(agency_disagrees_with_email()).order_by(User.name)
                                     .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).unique())
    rows = [(person, membership(db.session, person.email)) for person in people[:PAGE_SIZE]]
    return render_template("admin/agency_mismatches.html", rows=rows, page=page, has_next=len(people) > PAGE_SIZE)


@bp.route("/people/<id:user_id>/agency", methods=["POST"])
@admin_required
def move_person(user_id: int):
    """The one-click fix of the mismatch list, and an agency admin's correction among shared-domain agencies."""
    person = db.session.get(User, user_id) or abort(404)
    agency = _agency_from_form()
    if not moves.may_move(current_user, person, agency, db.session):
        return error_response(403, "You can only move people into an agency you administer.")
    return _then_back(lambda: moves.move_by_admin(db.session, person, agency, current_user),
                      f"{person.name} is now recorded with {agency.name if agency else 'no agency'}.")


def _then_back(change, message: str):
    """A change made from a list (the mismatches, an agency's people): back to that list with what was done,
    or why it was not."""
    back = safe_next(request.form.get("next"), url_for("admin.index"))
    try:
        change()
    except moves.MoveRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


@bp.route("/agencies/<id:agency_id>/people/add", methods=["POST"])
@admin_required
def move_into_agency(agency_id: int):
    agency = _administered_agency(agency_id)
    form = MovePersonForm(prefix="move")
    person = find_user(db.session, form.email.data) if form.validate_on_submit() else None
    if person is None:
        flash("Nobody has an account with that address.", "error")
        return redirect(url_for("admin_people.agency_people", agency_id=agency.id))
    moves.move_by_admin(db.session, person, agency, current_user)  # a MoveRefused is answered by the handler
    return _done(f"{person.name} is now recorded with {agency.name}.", "admin_people.agency_people", agency_id=agency.id)


@bp.route("/people/<id:user_id>/contractor", methods=["POST"])
@admin_required
def set_contractor(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    if not current_user.administers(person.agency_id):
        return error_response(403, "Only an admin of their agency can change whether someone is a contractor.")
    contractor = request.form.get("contractor") == "1"
    done = "marked as a contractor" if contractor else "no longer marked as a contractor"
    return _then_back(lambda: moves.set_contractor(db.session, person, contractor, current_user),
                      f"{person.name} is {done}.")

"""The host's side: the applicants list for one opportunity and the decisions taken from it."""
from __future__ import annotations

import math
from functools import cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from portal import cards, page_rows, transitions
from portal.access import verified_required
from portal.applications import queries, services
from portal.applications.blueprint import bp
from portal.applications.forms import ActionForm, NotSelectedForm
from portal.applications.views import load_application, load_opportunity
from portal.extensions import db
from portal.forms import submitted_version, whole_number
from portal.models import Agency, Application, Opportunity, Skill, User
from portal.models.base import counted, counts_by
from portal.models.applications import STATES as APPLICATION_STATES
from portal.models.opportunities import SKILL_SEPARATOR, opportunity_skills
from portal.models.users import user_skills
from portal.opportunities import places
from portal.opportunities import queries as opportunity_queries
from workflows.application import AWAITING_DECISION, completion_step

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


PER_PAGE = (25, 50)  # the choices of applicants a page; the first is the default


@cache
def _rows_statement(by_state: bool) -> sa.Select:
    """One page of applicants as rows of the columns the page shows, with each applicant's skills that the
    opportunity asks for (names joined by SKILL_SEPARATOR): one statement, no objects built; built once for each
    shape, with bound parameters."""
    opportunity_id = sa.bindparam("opportunity_id")
    wanted = sa.select(opportunity_skills.c.skill_id).where(opportunity_skills.c.opportunity_id == opportunity_id)
    matched = (sa.select(sa.func.aggregate_strings(Skill.name, SKILL_SEPARATOR)).select_from(user_skills)
               .join(Skill, Skill.id == user_skills.c.skill_id)
               .where(user_skills.c.user_id == User.id, user_skills.c.skill_id.in_(wanted)).scalar_subquery())
    query = (sa.select(Application.id, Application.state, Application.version, Application.statement,
                       Application.relevant_skills, Application.availability, Application.development_goals,
                       Application.manager_conditions, Application.cv_path,
                       Application.home_manager_name, Application.manager_requested_at, Application.completed_at,
                       Application.early_finish_reason, User.name, User.job_title, Agency.name.label("agency"),
                       sa.func.coalesce(matched, "").label("matched"))
             .join(User, User.id == Application.applicant_id).outerjoin(Agency, Agency.id == User.agency_id)
             .where(Application.opportunity_id == opportunity_id)
             .order_by(Application.created_at, Application.id)
             .limit(sa.bindparam("limit", type_=sa.Integer)).offset(sa.bindparam("offset", type_=sa.Integer)))
    return query.where(Application.state == sa.bindparam("state")) if by_state else query


def _applicant_rows(opportunity: Opportunity, state: str | None, page: int, per_page: int) -> list:
    return list(db.session.execute(_rows_statement(state is not None), {
        "opportunity_id": opportunity.id, "limit": per_page, "offset": (page - 1) * per_page,
        **({"state": state} if state else {})}))


def _applicant_cards(opportunity: Opportunity, rows: list, wanted: int, positions_open: bool, step: str,
                     changes: dict) -> Markup:
    """Each applicant's card, kept for what it shows (portal/cards.py): the row, the new dates waiting for the
    home manager, and what the page says of the opportunity (skills asked for, whether a position is open, where
    the work is in time)."""
    shown, kept = [], cards.kept()
    page_part = cards.key("applicant", opportunity.id, wanted, positions_open, step, opportunity.start_date)
    for row in rows:
        change = changes.get(row.id)
        shown.append(cards.fragment(
            (*page_part, cards.values_of(change), *row),
            lambda row=row, change=change: cards.render(
                "applications/_applicant.html", a=row, wanted=wanted, positions_open=positions_open, step=step,
                start_date=opportunity.start_date, change=change,
                matched=sorted(row.matched.split(SKILL_SEPARATOR)) if row.matched else [],
                token=cards.TOKEN_PLACEHOLDER, application_state_labels=APPLICATION_STATES), kept))
    return cards.with_token(shown)


def _review_row(person: sa.Select | None = None) -> sa.Select:
    """The opportunity with its co-owners, the number of skills it asks for and its applications counted in each
    state, in one statement (the counts from one pass over its applications); beside the signed-in `person` when
    their statement is given (portal/page_rows.py)."""
    wanted = (sa.select(sa.func.count()).select_from(opportunity_skills)
              .where(opportunity_skills.c.opportunity_id == Opportunity.id).scalar_subquery())
    counts = counts_by(Application.state, Application.opportunity_id == sa.bindparam("opportunity_id"))
    return opportunity_queries.with_coowners(wanted, counts, person=person)


_review_statement = cache(_review_row)


@bp.route("/opportunities/<id:opportunity_id>/applicants")
@verified_required
def review(opportunity_id: int):
    """The applicants a page at a time (25 or 50), optionally in one state, with the count in each state: one
    statement besides the signed-in person's (which reads the opportunity and the counts), two when confirmed
    participants on the page have new dates waiting."""
    opportunity, _, row = opportunity_queries.load_row(db.session, _review_statement(),
                                                       current_user._get_current_object(), page_rows.taken(),
                                                       opportunity_id=opportunity_id)
    if not may_review(opportunity):
        abort(404)
    by_state = counted(row[2])
    counts = {state: by_state[state] for state in APPLICATION_STATES if by_state.get(state)}
    state = request.args.get("state") if request.args.get("state") in counts else None
    per_page = whole_number(request.args.get("per_page"), 1)
    per_page = per_page if per_page in PER_PAGE else PER_PAGE[0]
    shown = counts[state] if state else sum(counts.values())
    pages = max(1, math.ceil(shown / per_page))
    page = min(whole_number(request.args.get("page"), 1) or 1, pages)
    rows = _applicant_rows(opportunity, state, page, per_page)
    positions_open = places.positions_open(opportunity, places.taken_of(counts))
    changes = queries.pending_date_changes(db.session, [a.id for a in rows if a.state == "confirmed"])
    applicant_cards = _applicant_cards(opportunity, rows, row[1], bool(positions_open),
                                       completion_step(opportunity.start_date, opportunity.end_date), changes)
    waiting = sum(counts.get(s, 0) for s in AWAITING_DECISION)
    return render_template("applications/review.html", opportunity=opportunity, positions_open=positions_open,
                           waiting=waiting, cards=applicant_cards,
                           form=ActionForm() if waiting and not positions_open else None,
                           **_head_and_pagination(opportunity, counts, state, shown, page, pages, per_page, len(rows),
                                                  positions_open))


page_rows.register("applications.review", _review_row, "opportunity_id")


def _head_and_pagination(opportunity: Opportunity, counts: dict[str, int], state: str | None, shown: int, page: int,
                         pages: int, per_page: int, on_page: int, positions_open: int) -> dict[str, Markup]:
    """The page above the cards (counts, the filter, what is shown) and the links to its other pages, each kept
    for exactly the values it shows (portal/cards.py)."""
    values = dict(opportunity_id=opportunity.id, title=opportunity.title, positions=opportunity.positions,
                  state=state, shown=shown, page=page, pages=pages, per_page=per_page, on_page=on_page,
                  positions_open=positions_open)
    key = (*values.values(), tuple(counts.items()))
    context = dict(values, counts=counts, per_page_choices=PER_PAGE, application_state_labels=APPLICATION_STATES)
    return {"head": cards.fragment(cards.key("applicants-head", *key),
                                   lambda: cards.render("applications/_applicants_head.html", **context)),
            "pagination": cards.fragment(cards.key("applicants-pages", *key),
                                         lambda: cards.render("applications/_applicants_pages.html", **context))}


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

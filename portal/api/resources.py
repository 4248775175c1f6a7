"""API v1 resources: opportunities (search, one), my applications, apply, withdraw.

Each endpoint calls the same domain functions as the pages, so the rules (visibility, eligibility,
transitions) are the ones the portal already enforces; only the input and output are JSON.
"""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal import transitions
from portal.api.blueprint import api_input, api_user, bp, iso, paging
from portal.api.errors import ApiError
from portal.applications import services as applications
from portal.applications.forms import ApplyForm
from portal.applications.queries import my_applications
from portal.extensions import db
from portal.models import Application, Opportunity
from portal.opportunities import policy
from portal.opportunities import queries as opportunity_queries
from portal.opportunities.search import Filters, search
from portal.urls import external_url


def _opportunity(opportunity: Opportunity) -> dict:
    return {
        "id": opportunity.id, "title": opportunity.title, "summary": opportunity.summary, "kind": opportunity.kind,
        "state": opportunity.state, "host_agency": opportunity.host_agency.name if opportunity.host_agency else None,
        "team": opportunity.team, "work_mode": opportunity.work_mode, "location_state": opportunity.location_state,
        "location_city": opportunity.location_city, "commitment_kind": opportunity.commitment_kind,
        "commitment_amount": opportunity.commitment_amount, "commitment_band": opportunity.commitment_band,
        "start_date": iso(opportunity.start_date), "end_date": iso(opportunity.end_date),
        "deadline": iso(opportunity.deadline), "positions": opportunity.positions, "clearance": opportunity.clearance,
        "accepting_applications": opportunity.accepting_applications,
        "skills": opportunity.skill_names,
        "url": external_url("opportunities.detail", opportunity_id=opportunity.id),
    }


@bp.route("/opportunities")
def list_opportunities():
    """The browse page's search: same filters, same visibility, as JSON."""
    page, size = paging()
    filters = Filters.from_args(MultiDict([(name, str(value)) for name, values in api_input().query.items()
                                           for value in (values if isinstance(values, list) else [values])]))
    results = search(db.session, filters, api_user(), per_page=size)
    return jsonify(items=[_opportunity(o) for o in results.opportunities], page=page, size=size, total=results.total,
                   next_page=page + 1 if page < results.pages else None,
                   facets={name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                           for name, values in results.facets.items()})


@bp.route("/opportunities/<id:opportunity_id>")
def get_opportunity(opportunity_id: int):
    user = api_user()
    opportunity, _ = opportunity_queries.load_for(db.session, opportunity_id, user)
    body = _opportunity(opportunity)
    facts = opportunity_queries.viewer_facts(db.session, opportunity, user)
    body.update(what_you_do=opportunity.what_you_do, what_you_gain=opportunity.what_you_gain,
                about_team=opportunity.about_team, positions_left=facts.positions_open,
                your_next_step=opportunity_queries.call_to_action(opportunity, user, facts))
    return jsonify(body)


def _application(tracked) -> dict:
    application = tracked.application
    return {"id": application.id, "opportunity_id": application.opportunity_id,
            "opportunity_title": application.opportunity.title, "state": application.state,
            "state_label": application.state_label, "next_step": tracked.next_step,
            "waiting_on": tracked.waiting_on, "home_manager_name": application.home_manager_name,
            "applied_at": iso(application.created_at), "version": application.version}


@bp.route("/applications")
def list_applications():
    page, size = paging()
    tracked = my_applications(db.session, api_user().id)
    chunk = tracked[(page - 1) * size: page * size]
    return jsonify(items=[_application(t) for t in chunk], page=page, size=size, total=len(tracked),
                   next_page=page + 1 if page * size < len(tracked) else None)


@bp.route("/opportunities/<id:opportunity_id>/applications", methods=["POST"])
def apply(opportunity_id: int):
    """Apply without a CV (upload one on the web page); the same eligibility rules and e-mails as the form."""
    session, user = db.session, api_user()
    opportunity, _ = opportunity_queries.load_for(session, opportunity_id, user)
    refused = policy.cannot_apply(user, opportunity, applications.has_applied(session, user, opportunity))
    if refused:
        raise ApiError(refused.status, "cannot_apply", refused.message)
    form = ApplyForm(formdata=MultiDict(api_input().body), meta={"csrf": False})
    form.validate()
    problems = {name: errors for name, errors in form.errors.items() if name != "cv"}
    if not problems and (form.home_manager_email.data or "").lower() == user.email.lower():
        problems["home_manager_email"] = ["Your home manager must be someone other than you."]
    if problems:
        raise ApiError(422, "invalid", "Some fields need fixing.", problems)
    application = applications.create(
        session, user, opportunity, statement=form.statement.data, relevant_skills=form.relevant_skills.data or None,
        availability=form.availability.data or None, home_manager_name=form.home_manager_name.data,
        home_manager_email=form.home_manager_email.data, development_goals=form.development_goals.data or None,
        cv_filename=None, cv_path=None)
    session.commit()
    tracked = next(t for t in my_applications(session, user.id) if t.application.id == application.id)
    return jsonify(_application(tracked)), 201


@bp.route("/applications/<id:application_id>/withdraw", methods=["POST"])
def withdraw(application_id: int):
    session, user = db.session, api_user()
    application = session.scalar(select(Application).where(Application.id == application_id,
                                                           Application.applicant_id == user.id)
                                 .with_for_update())
    if application is None:
        raise ApiError(404, "not_found", "There is no such application of yours.")
    version = (api_input().body or {}).get("version")
    transitions.apply(session, applications.KIND, application, "withdraw", applications.actor_for(user, application),
                      expected_version=version)
    session.commit()
    tracked = next(t for t in my_applications(session, user.id) if t.application.id == application.id)
    return jsonify(_application(tracked))

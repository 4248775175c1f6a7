"""An opportunity's own page, its co-owners and bookmarking it.

The page is two parts. Its public body (the facts, skills and description: `opportunities/_summary.html`) is the same
for everyone who may see the opportunity, so it is rendered once per listing generation and opportunity version in
each process and kept (facet_cache.FacetCache.page); who may see it is still decided for every request before the
body is looked up. The personal part (title and places, the viewer's call to action
and saved state, the owner's tools and CSRF forms) is rendered for each request from two statements.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from portal import cards
from portal.access import safe_next, verified_required
from portal.errors import shown_on
from portal.extensions import db
from portal.opportunities import facet_cache, posting, queries, records, services
from portal.opportunities.blueprint import bp, signed_in_user
from portal.opportunities.forms import CoownerForm
from portal.models import Opportunity


@bp.route("/<id:opportunity_id>")
@verified_required
def detail(opportunity_id: int):
    opportunity, roles, facts = queries.page_for(db.session, opportunity_id, signed_in_user())
    return _detail_page(opportunity, roles, facts)


def public_body(opportunity: Opportunity) -> Markup:
    """The body everyone who may see it gets, kept by its version in the listing generation (facet_cache)."""
    def render() -> str:
        queries.load_body(db.session, opportunity)
        return render_template("opportunities/_summary.html", opportunity=opportunity)

    return facet_cache.for_app(current_app).page(("opportunity-body", opportunity.id, opportunity.version), render)


def _detail_page(opportunity, roles, facts, coowner_form: CoownerForm | None = None):
    session = db.session
    user = signed_in_user()
    manages = bool(roles & {"owner", "agency_admin", "site_admin"})
    available = {t.name for t in records.OPPORTUNITY_KIND.machine.available(opportunity.state, roles)}
    checklist = opportunity.state == "draft" and "owner" in roles
    if checklist:
        queries.load_body(session, opportunity)
    return render_template(
        "opportunities/detail.html", opportunity=opportunity, roles=roles, manages=manages,
        body=public_body(opportunity),
        sidebar=_sidebar(opportunity, queries.call_to_action(opportunity, user, facts), facts.saved, manages, roles,
                         available),
        positions_open=facts.positions_open, questions_asked=facts.questions_asked,
        timeline=queries.timeline(session, opportunity) if manages else [],
        missing=posting.still_to_add(opportunity, user) if checklist else [],
        changes=posting.changes_requested(session, opportunity),
        coowner_form=coowner_form or (CoownerForm() if "owner" in roles else None),
    ), 422 if coowner_form and coowner_form.errors else 200


def _sidebar(opportunity: Opportunity, action: str, saved: bool, manages: bool, roles: frozenset[str],
             available: set[str]) -> Markup:
    """The call to action and the owner's tools, kept for exactly the values they show (portal/cards.py), with this
    request's token in their forms."""
    values = dict(opportunity_id=opportunity.id, state=opportunity.state, version=opportunity.version,
                  accepting_applications=opportunity.accepting_applications, action=action, saved=saved,
                  manages=manages, roles=tuple(sorted(roles)), available=tuple(sorted(available)))
    return cards.with_token([cards.fragment(cards.key("opportunity-sidebar", *values.values()), lambda: cards.render(
        "opportunities/_sidebar.html", **values, token=cards.TOKEN_PLACEHOLDER))])


@bp.route("/<id:opportunity_id>/coowners", methods=["POST"])
@verified_required
def add_coowner(opportunity_id: int):
    session = db.session
    user = signed_in_user()
    opportunity, roles = queries.load_for(session, opportunity_id, user, lock=True)
    if "owner" not in roles:
        abort(404)
    form = CoownerForm()
    if form.validate_on_submit():
        with shown_on(form):
            person = services.add_coowner(session, opportunity, records.actor_for(user, opportunity), user,
                                          form.email.data)
        if not form.errors:
            session.commit()
            flash(f"{person.name} is now a co-owner and has been told by e-mail.", "success")
            return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    session.rollback()
    return _detail_page(*queries.page_for(session, opportunity_id, user), form)


@bp.route("/<id:opportunity_id>/save", methods=["POST"])
@verified_required
def save(opportunity_id: int):
    session = db.session
    user = signed_in_user()
    queries.load_for(session, opportunity_id, user)
    keep = request.form.get("saved", "1") == "1"
    services.set_saved(session, user, opportunity_id, keep)
    session.commit()
    flash("Saved to your list." if keep else "Removed from your saved opportunities.", "success")
    return redirect(safe_next(request.form.get("back"),
                              url_for("opportunities.detail", opportunity_id=opportunity_id)))

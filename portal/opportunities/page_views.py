"""An opportunity's own page, its co-owners and bookmarking it.

Who may see the page, and what they may do on it, is decided for every request from one statement: the page's row is
read in the statement that loads the signed-in person (portal/page_rows.py, queries.page_row). What is drawn is
kept in each process by the listing generation (facet_cache.FacetCache.page):
- the public body (the facts, skills and description: `opportunities/_summary.html`), the same for everyone who may
  see the opportunity, by its version;
- for people who do not manage it, everything below the header (`opportunities/_main.html`), by exactly the values it
  shows them besides the opportunity: places open, their call to action, whether they saved it, their roles and moves.
The owners' and admins' page (checklist, co-owners, timeline) and a questions section with questions in it are drawn
for each request. Kept parts hold a placeholder for the form token, and each request's own goes in (portal/cards.py).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from portal import cards, page_rows
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
    opportunity, roles, facts = queries.page_for(db.session, opportunity_id, signed_in_user(), page_rows.taken())
    return _detail_page(opportunity, roles, facts)


page_rows.register("opportunities.detail", queries.page_row, "opportunity_id")


def public_body(opportunity: Opportunity) -> Markup:
    """The body everyone who may see it gets, kept by its version in the listing generation (facet_cache)."""
    def render() -> str:
        queries.load_body(db.session, opportunity)
        return render_template("opportunities/_summary.html", opportunity=opportunity)

    return facet_cache.for_app(current_app).page(("opportunity-body", opportunity.id, opportunity.version), render)


def _detail_page(opportunity, roles, facts, coowner_form: CoownerForm | None = None):
    return render_template("opportunities/detail.html", opportunity=opportunity,
                           main=cards.with_token([_main(opportunity, roles, facts, coowner_form)])), \
        422 if coowner_form and coowner_form.errors else 200


def _main(opportunity: Opportunity, roles: frozenset[str], facts: queries.ViewerFacts,
          coowner_form: CoownerForm | None) -> Markup:
    """Everything below the header, with `cards.TOKEN_PLACEHOLDER` where its forms need the token. For anyone who does
    not manage the opportunity, and while nobody has asked a question on it, it shows nothing but the opportunity
    (its version, within the listing generation: facet_cache.FacetCache.page) and the values in its key, so it is
    kept; the owners' and admins' page (checklist, co-owners, timeline) and the questions section are drawn afresh."""
    session = db.session
    user = signed_in_user()
    manages = bool(roles & {"owner", "agency_admin", "site_admin"})
    available = {t.name for t in records.OPPORTUNITY_KIND.machine.available(opportunity.state, roles)}
    action = queries.call_to_action(opportunity, user, facts)
    changes = posting.changes_requested(session, opportunity)
    sidebar = dict(opportunity_id=opportunity.id, state=opportunity.state, version=opportunity.version,
                   accepting_applications=opportunity.accepting_applications, action=action, saved=facts.saved,
                   manages=manages, roles=tuple(sorted(roles)), available=tuple(sorted(available)))

    def render() -> str:
        checklist = opportunity.state == "draft" and "owner" in roles
        if checklist:
            queries.load_body(session, opportunity)
        return render_template(
            "opportunities/_main.html", opportunity=opportunity, roles=roles, manages=manages,
            body=public_body(opportunity), sidebar=_sidebar(sidebar), positions_open=facts.positions_open,
            questions_asked=facts.questions_asked, changes=changes,
            timeline=queries.timeline(session, opportunity) if manages else [],
            missing=posting.still_to_add(opportunity, user) if checklist else [],
            coowner_form=coowner_form or (CoownerForm() if "owner" in roles else None))

    if manages or facts.questions_asked or coowner_form is not None:
        return Markup(render())
    return facet_cache.for_app(current_app).page(
        ("opportunity-main", *sidebar.values(), facts.positions_open, changes.id if changes else None), render)


def _sidebar(values: dict) -> Markup:
    """The call to action and the owner's tools, kept for exactly the values they show (portal/cards.py), with
    `cards.TOKEN_PLACEHOLDER` where the token goes."""
    return cards.fragment(cards.key("opportunity-sidebar", *values.values()), lambda: cards.render(
        "opportunities/_sidebar.html", **values, token=cards.TOKEN_PLACEHOLDER))


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

"""Posting, finding and managing opportunities (an opportunity's own page is page_views)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select

from portal import cards
from portal.access import verified_required
from portal.errors import shown_on
from portal.extensions import db
from portal.forms import submitted_version, whole_number
from portal.models import Agency, Skill
from portal.opportunities import facet_cache, posting, queries, records, services
from portal.opportunities.blueprint import bp, signed_in_user
from portal.opportunities.forms import ManagerForm, OpportunityForm, ReasonForm, SaveSearchForm
from portal.opportunities.search import CLEARED_LABEL, FACET_TITLES, SORTS, Filters, search
from workflows import clock
from workflows.application import completion_step
from workflows.opportunity import missing_for_submit


def _choices(form: OpportunityForm) -> dict[str, list[Skill]]:
    session = db.session
    agencies = session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name))
    form.host_agency_id.choices = [(0, "Choose the host agency")] + [(a.id, a.name) for a in agencies]
    skills = list(session.scalars(select(Skill).where(Skill.retired.is_(False)).order_by(Skill.family, Skill.name)))
    form.skills.choices = [(s.id, s.name) for s in skills]
    families: dict[str, list[Skill]] = {}
    for skill in skills:
        families.setdefault(skill.family, []).append(skill)
    return families


def _values(form: OpportunityForm) -> dict:
    """The form's values; only contractors name a manager here (others do it when they submit)."""
    skip = {"csrf_token", "skills"}
    if not signed_in_user().is_contractor:
        skip |= {"approving_manager_name", "approving_manager_email"}
    return {name: field.data for name, field in form._fields.items() if name not in skip}


def _render_form(form: OpportunityForm, families, opportunity=None):
    return render_template("opportunities/form.html", form=form, families=families, opportunity=opportunity,
                           chosen=set(form.skills.data or []),
                           changes=posting.changes_requested(db.session, opportunity) if opportunity else None), \
        200 if not form.errors else 422


@bp.route("")
@verified_required
def browse():
    return browse_page(Filters.from_args(request.args))


def browse_page(filters: Filters, save_form=None) -> tuple[str, int]:
    """The search page; `save_form` is a "Save this search" form sent back with its errors."""
    cache = facet_cache.for_app(current_app)
    filters = filters.for_person(signed_in_user())

    def render_results() -> str:
        results = search(db.session, filters, signed_in_user(), cache)
        facet_key = f"{results.facet_key}:html" if results.facet_key else ""
        facets_html = cache.get_text(facet_key)
        if facets_html is None:
            facets_html = render_template("opportunities/_facets.html", results=results, facet_titles=FACET_TITLES)
            cache.put_text(facet_key, facets_html)
        return render_template("opportunities/_results.html", results=results, filters=filters,
                               facets_html=Markup(facets_html), cleared_label=CLEARED_LABEL)

    results_html = cache.page((cache.key(filters.keyed_args(page=filters.page), signed_in_user().agency_id,
                                         clock.canberra_today(), kind="page"),), render_results)
    query = filters.query_string() if filters.q or filters.active else None  # no statement: duplicates are refused
    return render_template("opportunities/browse.html", filters=filters, sorts=SORTS, save_form=save_form,
                           results_html=results_html, save_search_html=_save_search_html(query, save_form)), \
        422 if save_form and save_form.errors else 200


def _save_search_html(query: str | None, sent: SaveSearchForm | None = None) -> Markup:
    """The "Save this search" form for `query` (none without words or filters): kept by its query when blank
    (portal/cards.py), so no form is built for it; a form `sent` back with its errors is drawn afresh."""
    def render(save_form: SaveSearchForm) -> Markup:
        return cards.render("opportunities/_save_search.html", save_form=save_form, token=cards.TOKEN_PLACEHOLDER)

    if sent is not None:
        return cards.with_token([render(sent)])
    if query is None:
        return Markup()
    return cards.with_token([cards.fragment(cards.key("save-search", query),
                                            lambda: render(SaveSearchForm(formdata=None, query=query)))])


@bp.route("/new", methods=["GET", "POST"])
@verified_required
def new():
    user = signed_in_user()
    form = OpportunityForm()
    families = _choices(form)
    if request.method == "GET":
        form.host_agency_id.data = user.agency_id or 0
        form.contact_name.data, form.contact_email.data = user.name, user.email
    if form.validate_on_submit():
        if user.is_contractor and not (form.approving_manager_email.data and form.approving_manager_name.data):
            form.approving_manager_email.errors.append("Name the federal manager you are posting this for")
        else:
            opportunity = services.create(db.session, user, _values(form), form.skills.data)
            db.session.commit()
            flash("Your draft is saved. Submit it for approval when it is ready.", "success")
            return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    return _render_form(form, families)


def _owned(opportunity_id: int):
    """The opportunity for one of its owners (locked when changing it); 404 for anyone else."""
    opportunity, roles = queries.load_for(db.session, opportunity_id, signed_in_user(), lock=request.method == "POST")
    if "owner" not in roles:
        abort(404)
    return opportunity


@bp.route("/<id:opportunity_id>/edit", methods=["GET", "POST"])
@verified_required
def edit(opportunity_id: int):
    session, user = db.session, signed_in_user()
    opportunity = _owned(opportunity_id)
    form = OpportunityForm(obj=opportunity if request.method == "GET" else None)
    families = _choices(form)
    if request.method == "GET":
        form.skills.data = [s.id for s in opportunity.skills]
        form.host_agency_id.data = opportunity.host_agency_id or 0
        form.version.data = opportunity.version
    if form.validate_on_submit():
        resubmitted = services.edit(session, opportunity, records.actor_for(user, opportunity), _values(form),
                                    form.skills.data, user)
        session.commit()
        flash("Your changes are saved and have gone to your approving manager, because they change what the "
              "opportunity is. It is not listed until they approve." if resubmitted else "Your changes are saved.",
              "success")
        return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    return _render_form(form, families, opportunity)


@bp.route("/<id:opportunity_id>/submit", methods=["GET", "POST"])
@verified_required
def submit(opportunity_id: int):
    user = signed_in_user()
    opportunity = _owned(opportunity_id)
    form = ManagerForm()
    if request.method == "GET":
        form.approving_manager_name.data = opportunity.approving_manager_name or user.supervisor_name
        form.approving_manager_email.data = opportunity.approving_manager_email or user.supervisor_email
    if form.validate_on_submit():
        if form.approving_manager_email.data.lower() == user.email:
            form.approving_manager_email.errors.append("Someone other than you has to approve your opportunity")
        else:
            with shown_on(form):  # why it cannot go yet (incomplete, wrong state) is shown above the form
                services.submit(db.session, opportunity, records.actor_for(user, opportunity),
                                manager=(form.approving_manager_name.data, form.approving_manager_email.data))
            if not form.errors:
                db.session.commit()
                flash(f"Sent to {opportunity.approving_manager_name} for approval. We will e-mail you when they "
                      "decide.", "success")
                return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    return render_template("opportunities/submit.html", form=form, opportunity=opportunity,
                           problem=" ".join(form.form_errors) or None,
                           missing=missing_for_submit(opportunity, (form.approving_manager_name.data,
                                                                    form.approving_manager_email.data))), \
        422 if form.errors else 200


def _owner_move(opportunity_id: int, move):
    """Load for the signed-in owner with a row lock, make the move, commit, back to the page."""
    session = db.session
    user = signed_in_user()
    opportunity, roles = queries.load_for(session, opportunity_id, user, lock=True)
    if not roles:
        abort(404)
    services.check_version(opportunity, submitted_version())
    message = move(session, opportunity, records.actor_for(user, opportunity))
    session.commit()
    flash(message, "success")
    return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))


@bp.route("/<id:opportunity_id>/applications-toggle", methods=["POST"])
@verified_required
def toggle(opportunity_id: int):
    def move(session, opportunity, actor):
        services.toggle_applications(session, opportunity, actor)
        return "Applications are open again." if opportunity.accepting_applications else \
            "Applications are paused. The opportunity stays listed as not taking applications."
    return _owner_move(opportunity_id, move)


@bp.route("/<id:opportunity_id>/close-selection", methods=["POST"])
@verified_required
def close_selection(opportunity_id: int):
    def move(session, opportunity, actor):
        services.finish(session, opportunity, actor, "match",
                        data={"confirmed_participants": queries.confirmed_count(session, opportunity)})
        return "Selection is closed. Mark the opportunity completed when the work is done."
    return _owner_move(opportunity_id, move)


@bp.route("/<id:opportunity_id>/complete", methods=["GET", "POST"])
@verified_required
def complete(opportunity_id: int):
    """Completing the opportunity asks about each confirmed participant: whose work is done too."""
    session, user = db.session, signed_in_user()
    opportunity, roles = queries.load_for(session, opportunity_id, user, lock=request.method == "POST")
    if not roles & {"owner", "site_admin"}:
        abort(403 if roles else 404)  # an agency admin may see it but not complete it
    participants = queries.confirmed_applications(session, opportunity)
    if request.method == "POST":
        services.check_version(opportunity, submitted_version())
        done = {whole_number(v) for v in request.form.getlist("completed")}
        services.complete_with_participants(session, opportunity, records.actor_for(user, opportunity), user,
                                            [a for a in participants if a.id in done],
                                            request.form.get("early_finish_reason"))
        session.commit()
        flash("The opportunity is marked as completed. Participants marked complete get their certificate.",
              "success")
        return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    return render_template("opportunities/complete.html", opportunity=opportunity, participants=participants,
                           step=completion_step(opportunity.start_date, opportunity.end_date))


@bp.route("/<id:opportunity_id>/cancel", methods=["GET", "POST"])
@verified_required
def cancel(opportunity_id: int):
    session = db.session
    user = signed_in_user()
    opportunity, roles = queries.load_for(session, opportunity_id, user, lock=request.method == "POST")
    if not roles & {"owner", "agency_admin", "site_admin"}:
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        services.finish(session, opportunity, records.actor_for(user, opportunity), "cancel", reason=form.reason.data)
        session.commit()
        flash("The opportunity is cancelled. Everyone who applied has been told by e-mail.", "success")
        return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    return render_template("opportunities/cancel.html", form=form, opportunity=opportunity), \
        422 if form.errors else 200


@bp.route("/<id:opportunity_id>/copy", methods=["POST"])
@verified_required
def copy(opportunity_id: int):
    session = db.session
    user = signed_in_user()
    source, _ = queries.load_for(session, opportunity_id, user)
    draft = services.copy_to_draft(session, source, user)
    session.commit()
    flash("This is a new draft copied from the original. Set its dates, then submit it for approval.", "success")
    return redirect(url_for("opportunities.edit", opportunity_id=draft.id))


@bp.route("/saved")
@verified_required
def saved():
    return render_template("opportunities/saved.html", opportunities=queries.saved_by(db.session, signed_in_user()))


@bp.route("/mine")
@verified_required
def mine():
    owned = queries.owned_by(db.session, signed_in_user())
    by_state: dict[str, list[queries.OwnedOpportunity]] = {}
    for row in owned:
        by_state.setdefault(row.opportunity.state, []).append(row)
    return render_template("opportunities/mine.html", by_state=by_state)

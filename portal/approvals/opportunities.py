"""Approving opportunities: from the signed e-mail link (no account) or the queue in the portal."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal import links
from portal.access import verified_required
from portal.applications.queries import manager_queue
from portal.extensions import db
from portal.models import Opportunity, User
from portal.opportunities import queries, records, services
from portal.opportunities.forms import DecisionForm
from workflows import clock
from workflows.calendar import working_days_between

bp = Blueprint("approvals", __name__, url_prefix="/approvals")

DONE = {"approve": "Thank you: the opportunity is approved and now listed for every APS employee.",
        "request_changes": "Thank you: we have asked the owner to make the changes you described.",
        "reject": "Thank you: the opportunity is rejected and the owner has been told why."}


@dataclass
class Pending:
    opportunity: Opportunity
    as_manager: bool

    @property
    def working_days_waiting(self) -> int:
        submitted = self.opportunity.submitted_at
        if submitted is None:
            return 0
        return working_days_between(clock.canberra_date(submitted), clock.canberra_today())


def pending_for(session: Session, user: User) -> list[Pending]:
    """What this person must approve (by e-mail) and, for agency admins, all their agency's pending ones."""
    agency_ids = list(user.administered_agency_ids)
    mine = Opportunity.approving_manager_email == user.email
    scope = [mine]
    if user.is_site_admin:
        scope.append(Opportunity.state == "approval")
    elif agency_ids:
        scope.append(Opportunity.host_agency_id.in_(agency_ids))
    rows = session.scalars(select(Opportunity).where(Opportunity.state == "approval", or_(*scope))
                           .order_by(Opportunity.submitted_at.asc(), Opportunity.id.asc()))
    return [Pending(o, o.approving_manager_email == user.email) for o in rows]


@bp.route("")
@verified_required
def index():
    user = current_user._get_current_object()
    pending = pending_for(db.session, user)
    return render_template("approvals/index.html", mine=[p for p in pending if p.as_manager],
                           agency=[p for p in pending if not p.as_manager],
                           items=manager_queue(db.session, user.email))


@bp.route("/<id:opportunity_id>", methods=["GET", "POST"])
@verified_required
def decide(opportunity_id: int):
    session = db.session
    user = current_user._get_current_object()
    opportunity, roles = queries.load_for(session, opportunity_id, user, lock=True)
    if not roles & {"approving_manager", "agency_admin", "site_admin"}:
        abort(404)
    if opportunity.state != "approval":
        flash("This opportunity is no longer waiting for approval.", "info")
        return redirect(url_for("opportunities.detail", opportunity_id=opportunity.id))
    form = DecisionForm()
    if form.validate_on_submit():
        services.decide(session, opportunity, records.actor_for(user, opportunity), form.decision.data,
                        form.comment.data)
        session.commit()
        flash(DONE[form.decision.data], "success")
        return redirect(url_for("approvals.index"))
    return render_template("approvals/decide.html", form=form, opportunity=opportunity, by_link=False), \
        422 if form.errors else 200


@bp.route("/link/<token>", methods=["GET", "POST"])
@links.signed_link(records.APPROVAL_LINK)
def link(link: links.Link):
    """The approving manager's page from the e-mail: works without an account, once, for a limited time."""
    session = db.session
    opportunity = services.opportunity_for_link(session, link)
    form = DecisionForm()
    if form.validate_on_submit():
        services.decide_by_link(session, link, form.decision.data, form.comment.data)
        session.commit()
        return render_template("approvals/done.html", message=DONE[form.decision.data], opportunity=opportunity)
    return render_template("approvals/decide.html", form=form, opportunity=opportunity, by_link=True), \
        422 if form.errors else 200

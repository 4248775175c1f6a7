"""The home manager agrees to (or declines) new dates for a confirmed participation, by signed link or signed in;
and any party acknowledges the arrangement signed in, as well as by its e-mailed link."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import links
from portal.access import verified_required
from portal.applications import services
from portal.applications.forms import DecisionForm
from portal.applications.views import load_application
from portal.extensions import db
from portal.forms import pressed
from portal.participation import date_changes, paperwork
from portal.participation.views import bp
from portal.models import Acknowledgement, DateChange
from workflows.date_change import DECIDERS


def _settled(change: DateChange) -> links.LinkRefused:
    """The change needs no answer any more: already answered, withdrawn, or the participation has closed (409)."""
    page = render_template("applications/date_change_settled.html", change=change)
    return links.LinkRefused("not_needed", page=page)


def _open(change: DateChange) -> bool:
    return change.state == "pending" and change.application.state == "confirmed"


def _page(change: DateChange, form: DecisionForm, action: str):
    return render_template("applications/date_change.html", change=change, application=change.application,
                           form=form, action=action), 200 if not form.errors else 422


def _choice(form: DecisionForm) -> str | None:
    return pressed(form, ("agree", "decline"), "Choose to agree to the new dates or to keep the agreed ones.")

@bp.route("/applications/date-change/<token>", methods=["GET", "POST"])
@links.signed_link(date_changes.LINK)
def date_change_by_link(link: links.Link):
    session = db.session
    form = DecisionForm()
    submitted = form.validate_on_submit()
    change_id = link.payload.get("cid")
    if not isinstance(change_id, int):
        raise links.LinkRefused("invalid")
    change = date_changes.locked(session, change_id) if submitted else session.get(DateChange, change_id)
    if change is None:
        raise links.LinkRefused("invalid")
    if not _open(change):
        raise _settled(change)
    if submitted and (choice := _choice(form)):
        link.use(session)
        date_changes.decide(session, change, services.home_manager_actor(change.application),
                            agree=choice == "agree", comment=form.comment.data or None)
        session.commit()
        return render_template("applications/date_change_settled.html", change=change, thanked=True)
    return _page(change, form, url_for("participation.date_change_by_link", token=link.token))


@bp.route("/date-changes/<id:change_id>", methods=["GET", "POST"])
@verified_required
def date_change(change_id: int):
    session = db.session
    change = session.get(DateChange, change_id)
    if change is None:
        abort(404)
    application = load_application(change.application_id, roles=set(DECIDERS))
    if not _open(change):
        return links.refused_page(_settled(change))
    form = DecisionForm()
    if form.validate_on_submit() and (choice := _choice(form)):
        change = date_changes.locked(session, change.id)
        date_changes.decide(session, change, services.actor_for(current_user, application),
                            agree=choice == "agree", comment=form.comment.data or None)
        session.commit()
        flash(f"Thank you: your answer about {application.applicant.name}'s new dates has been recorded.", "success")
        return redirect(url_for("home.index"))
    return _page(change, form, url_for("participation.date_change", change_id=change.id))


@bp.route("/acknowledgements/<id:ack_id>", methods=["POST"])
@verified_required
def acknowledge_signed_in(ack_id: int):
    """The party an acknowledgement names, signed in: the same rule as the e-mailed link."""
    session = db.session
    ack = session.scalar(select(Acknowledgement).where(Acknowledgement.id == ack_id)
                         .options(joinedload(Acknowledgement.arrangement)).with_for_update(of=Acknowledgement))
    if ack is None or not paperwork.may_acknowledge(current_user, ack):
        abort(404)
    paperwork.record_acknowledgement(session, ack, by=current_user._get_current_object())
    session.commit()
    flash(f"Thank you: you acknowledged version {ack.arrangement.version} of the arrangement.", "success")
    return redirect(url_for("participation.arrangement", arrangement_id=ack.arrangement_id))

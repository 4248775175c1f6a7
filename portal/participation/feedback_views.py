"""Feedback once a participation is complete: the host rates and endorses skills, the participant rates; each
sees the other's when portal.participation.feedback says so, and the participant may show the host's comment on
their profile."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import verified_required
from portal.applications import services
from portal.applications.views import load_application
from portal.audit import record_admin_event
from portal.extensions import db
from portal.models import Feedback
from portal.participation import feedback as policy
from portal.participation.forms import FeedbackForm, ShowOnProfileForm
from workflows import Refused

bp = Blueprint("feedback", __name__)


def _completed(application_id: int):
    """The completed participation and the side the current person gives feedback from (404 otherwise)."""
    application = load_application(application_id, roles={"applicant", "host"})
    if application.state != "completed":
        abort(404)
    return application, "participant" if "applicant" in services.roles_for(current_user, application) else "owner"


@bp.route("/applications/<id:application_id>/feedback", methods=["GET", "POST"])
@verified_required
def feedback(application_id: int):
    application, author_role = _completed(application_id)
    session = db.session
    given = policy.given_on(session, application)
    theirs = policy.from_the_other_side(given, application, author_role)
    shown = "yes" if theirs is not None and theirs.shown_on_profile else "no"
    page = dict(application=application, author_role=author_role, reveal_on=policy.revealed_on(application),
                theirs=theirs, profile_form=ShowOnProfileForm(data={"shown": shown}))
    if author_role in given:
        return render_template("applications/feedback_given.html", feedback=given[author_role], **page)
    form = FeedbackForm()
    form.endorsed_skills.choices = [SelectChoice(s.id, s.name) for s in application.opportunity.skills]
    if author_role == "participant":
        del form.endorsed_skills
    if form.validate_on_submit():
        endorsed = form.endorsed_skills.data if author_role == "owner" else []
        session.add(Feedback(application_id=application.id, author_role=author_role, author_id=current_user.id,
                             rating=form.rating.data, comment=form.comment.data or None,
                             endorsed_skill_ids=list(endorsed or [])))
        record_admin_event(session, "application", application.id, "feedback", actor=current_user,
                           data={"author_role": author_role, "rating": form.rating.data})
        session.commit()
        flash("Thank you for your feedback.", "success")
        return redirect(url_for("applications.mine") if author_role == "participant"
                        else url_for("applications.review", opportunity_id=application.opportunity_id))
    return render_template("applications/feedback.html", form=form, **page), 200 if not form.errors else 422


@bp.route("/applications/<id:application_id>/feedback/profile", methods=["POST"])
@verified_required
def show_on_profile(application_id: int):
    """The participant chooses whether the host's comment, once they may read it, appears on their profile."""
    application, author_role = _completed(application_id)
    form = ShowOnProfileForm()
    if author_role != "participant":
        raise Refused("Only the participant chooses what shows on their profile.", 403)
    if not form.validate_on_submit():
        abort(400)
    session = db.session
    hosts = policy.from_the_other_side(policy.given_on(session, application), application, "participant")
    if hosts is None or not hosts.comment:
        raise Refused("There is no comment from your host for you to show yet.", 409)
    hosts.shown_on_profile = form.shown.data == "yes"
    record_admin_event(session, "feedback", hosts.id, "shown_on_profile" if hosts.shown_on_profile
                       else "hidden_from_profile", actor=current_user)
    session.commit()
    flash("Your host's comment now shows on your profile." if hosts.shown_on_profile
          else "Your host's comment no longer shows on your profile.", "success")
    return redirect(url_for("feedback.feedback", application_id=application.id))

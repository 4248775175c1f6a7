"""Feedback once a participation is complete: the host rates and endorses skills, the participant rates."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.access import verified_required
from portal.applications import services
from portal.applications.forms import FeedbackForm
from portal.applications.blueprint import bp
from portal.applications.views import load_application
from portal.audit import record_admin_event
from portal.extensions import db
from portal.models import Feedback


@bp.route("/applications/<id:application_id>/feedback", methods=["GET", "POST"])
@verified_required
def feedback(application_id: int):
    application = load_application(application_id, roles={"applicant", "host"})
    if application.state != "completed":
        abort(404)
    author_role = "participant" if "applicant" in services.roles_for(current_user, application) else "owner"
    session = db.session
    given = session.scalar(select(Feedback).where(Feedback.application_id == application.id,
                                                  Feedback.author_role == author_role))
    if given is not None:
        return render_template("applications/feedback_given.html", application=application, feedback=given)
    form = FeedbackForm()
    skills = application.opportunity.skills
    form.endorsed_skills.choices = [SelectChoice(s.id, s.name) for s in skills]
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
    return render_template("applications/feedback.html", application=application, form=form,
                           author_role=author_role), 200 if not form.errors else 422

"""Questions on an opportunity: ask (rate limited per person), answer or reword an answer, hide. The opportunity
page shows them through `questions_for`, a template function, so the opportunity views need not import this
feature."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from markupsafe import Markup

from portal import cards
from portal.access import verified_required
from portal.errors import shown_on
from portal.extensions import db, limiter
from portal.opportunities import queries as opportunity_queries
from portal.questions import policy, queries, services
from portal.questions.forms import AnswerForm, HideForm, QuestionForm

bp = Blueprint("questions", __name__)

# Questions actually asked (a refused form does not count), per person: enough for a keen applicant, too few to
# flood the owners' inboxes.
ASK_LIMIT = "5 per hour;20 per day"


def _user():
    return current_user._get_current_object()


def _per_person() -> str:
    return f"person:{current_user.get_id()}" if current_user.is_authenticated else f"ip:{get_remote_address()}"


@bp.app_template_global()
def questions_for(opportunity, roles, asked: bool = True) -> queries.Section:
    """The opportunity page's questions for the person viewing it (one statement; none when `asked` is False)."""
    return queries.section(db.session, opportunity, _user(), roles, asked=asked)


@bp.app_template_global()
def ask_form(opportunity_id: int) -> Markup:
    """The blank ask form, the same for everyone who may ask: rendered once an opportunity (portal/cards.py), with
    `cards.TOKEN_PLACEHOLDER` for the token: the opportunity page puts it in (page_views._detail_page)."""
    return cards.fragment(cards.key("ask-form", opportunity_id), lambda: cards.render(
        "questions/_ask_form.html", opportunity_id=opportunity_id, form=QuestionForm(formdata=None),
        token=cards.TOKEN_PLACEHOLDER))


def _to_questions(opportunity_id: int):
    return redirect(url_for("opportunities.detail", opportunity_id=opportunity_id) + "#questions")


@bp.route("/opportunities/<id:opportunity_id>/questions/new", methods=["GET", "POST"])
@limiter.limit(ASK_LIMIT, methods=["POST"], key_func=_per_person, deduct_when=lambda _: g.get("question_asked", False))
@verified_required
def ask(opportunity_id: int):
    session, user = db.session, _user()
    opportunity, roles = opportunity_queries.load_for(session, opportunity_id, user)
    refused = policy.cannot_ask(opportunity, roles)
    if refused:
        raise refused
    form = QuestionForm()
    if form.validate_on_submit():
        services.ask(session, user, opportunity, form.body.data)
        session.commit()
        g.question_asked = True
        flash("Your question has been sent to the opportunity's owners. Only you and they can see it until they "
              "answer.", "success")
        return _to_questions(opportunity.id)
    return render_template("questions/ask.html", opportunity=opportunity, form=form), 422 if form.errors else 200


@bp.route("/questions/<id:question_id>/answer", methods=["GET", "POST"])
@verified_required
def answer(question_id: int):
    session, user = db.session, _user()
    question, roles = queries.load_for(session, question_id, user, lock=request.method == "POST")
    if "owner" not in roles:
        abort(403, "Only the opportunity's owners can answer its questions.")
    form = AnswerForm(data={"answer": question.answer, "version": question.version})
    if form.validate_on_submit():
        with shown_on(form):
            services.answer(session, question, user, form.answer.data, expected_version=form.version.data)
            session.commit()
            flash("Your answer is published on the opportunity's page.", "success")
            return _to_questions(question.opportunity_id)
    return render_template("questions/answer.html", question=question, form=form), 422 if form.errors else 200


@bp.route("/questions/<id:question_id>/hide", methods=["GET", "POST"])
@verified_required
def hide(question_id: int):
    session, user = db.session, _user()
    question, roles = queries.load_for(session, question_id, user, lock=request.method == "POST")
    if not policy.manages(roles):
        abort(403, "Only the opportunity's owners and admins can hide its questions.")
    form = HideForm(data={"version": question.version})
    if form.validate_on_submit():
        with shown_on(form):
            services.hide(session, question, user, form.reason.data, expected_version=form.version.data)
            session.commit()
            flash("The question is hidden: only the opportunity's owners and admins can see it now.", "success")
            return _to_questions(question.opportunity_id)
    return render_template("questions/hide.html", question=question, form=form), 422 if form.errors else 200

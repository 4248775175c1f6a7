"""Saved searches: save one from the search page, list, run, rename, switch its e-mail alert, delete."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import verified_required
from portal.errors import shown_on
from portal.extensions import db
from portal.models.searches import MAX_SAVED_SEARCHES
from portal.opportunities.search import Filters
from portal.opportunities.views import browse_page
from portal.saved_searches import services
from portal.opportunities.forms import RenameForm, SaveSearchForm

bp = Blueprint("saved_searches", __name__, url_prefix="/saved-searches")


def _user():
    return current_user._get_current_object()


def _owned(saved_search_id: int):
    saved = services.owned(db.session, _user(), saved_search_id)
    if saved is None:
        abort(404)
    return saved


@bp.route("/")
@verified_required
def index():
    searches = services.saved_by(db.session, _user())
    return render_template("saved_searches/index.html", searches=searches, limit=MAX_SAVED_SEARCHES,
                           descriptions=services.descriptions(db.session, searches),
                           skill_alerts=_user().skill_alerts_since is not None)


@bp.route("/new", methods=["POST"])
@verified_required
def create():
    form = SaveSearchForm()
    filters = Filters.from_query_string(form.query.data or "")
    if form.validate_on_submit():
        with shown_on(form):
            saved = services.save(db.session, _user(), form.name.data, filters, form.alert.data)
        if not form.errors:
            db.session.commit()
            flash(f"Your search is saved as “{saved.name}”." + (" We will e-mail you when something new matches it."
                                                               if saved.alert else ""), "success")
            return redirect(url_for("saved_searches.index"))
    return browse_page(filters, form)


@bp.route("/<id:saved_search_id>/rename", methods=["GET", "POST"])
@verified_required
def rename(saved_search_id: int):
    saved = _owned(saved_search_id)
    form = RenameForm(data={"name": saved.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        with shown_on(form):
            services.rename(db.session, saved, _user(), form.name.data)
        if not form.errors:
            db.session.commit()
            flash(f"The search is now called “{saved.name}”.", "success")
            return redirect(url_for("saved_searches.index"))
    db.session.rollback()
    return render_template("saved_searches/rename.html", form=form, saved=_owned(saved_search_id)), \
        422 if form.errors else 200


@bp.route("/<id:saved_search_id>/alert", methods=["POST"])
@verified_required
def alert(saved_search_id: int):
    saved = _owned(saved_search_id)
    services.set_alert(saved, request.form.get("alert") == "1")
    db.session.commit()
    flash(f"We will e-mail you once a day at most when new opportunities match “{saved.name}”." if saved.alert
          else f"We will not e-mail you about “{saved.name}”.", "success")
    return redirect(url_for("saved_searches.index"))


@bp.route("/<id:saved_search_id>/delete", methods=["POST"])
@verified_required
def delete(saved_search_id: int):
    saved = _owned(saved_search_id)
    db.session.delete(saved)
    db.session.commit()
    flash(f"The saved search “{saved.name}” is deleted.", "success")
    return redirect(url_for("saved_searches.index"))

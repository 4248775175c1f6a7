"""Reports: site admins see every agency, agency admins only their own; everyone else is refused."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import verified_required
from portal.audit import record_admin_event
from portal.extensions import db
from portal.reports import dashboard, exports, queries
from portal.reports.forms import ReportFilterForm
from workflows import clock

bp = Blueprint("reports", __name__, url_prefix="/reports")


def viewable_agencies() -> frozenset[int] | None:
    """None means every agency (site admin); otherwise the agencies this person administers."""
    if current_user.is_site_admin:
        return None
    return current_user.administered_agency_ids


def report_access_required(view):
    @wraps(view)
    @verified_required
    def wrapper(*args, **kwargs):
        if not current_user.is_site_admin and not current_user.administered_agency_ids:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _filter_form(allowed: frozenset[int] | None) -> ReportFilterForm:
    agencies = queries.agency_choices(db.session, allowed)
    form = ReportFilterForm(formdata=request.args, today=clock.canberra_today(), agencies=agencies,
                            all_label="All agencies" if allowed is None else "All my agencies")
    form.validate()
    return form


@bp.route("/", endpoint="dashboard")
@report_access_required
def dashboard_page():
    allowed = viewable_agencies()
    form = _filter_form(allowed)
    if form.errors:
        return render_template("reports/dashboard.html", form=form, sections=[], allowed=allowed), 400
    scope = form.scope(allowed)
    args = {key: value for key, value in request.args.items() if key in form and value}
    return render_template("reports/dashboard.html", form=form, scope=scope, allowed=allowed,
                           sections=dashboard.sections(db.session, scope), export_args=args)


@bp.route("/export/<kind>.csv")
@report_access_required
def export(kind: str):
    build = exports.EXPORTS.get(kind)
    if build is None:
        abort(404)
    allowed = viewable_agencies()
    form = _filter_form(allowed)
    if form.errors:
        return redirect(url_for("reports.dashboard", **request.args))
    scope = form.scope(allowed)
    agencies = "all" if scope.agency_ids is None else ",".join(map(str, sorted(scope.agency_ids)))
    record_admin_event(db.session, "report_export", 0, kind, actor=current_user,
                       data={"from": scope.start.isoformat(), "to": scope.end.isoformat(), "agencies": agencies})
    db.session.commit()  # who took a copy of people's details is on record before the first row leaves
    filename = f"oneaps-{kind}-{clock.canberra_today().isoformat()}.csv"
    return Response(_streamed(build, scope), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _streamed(build, scope):
    """Rows are read after the view has returned and its request session is closed, so the export
    reads through a session of its own, closed when the download ends or is abandoned."""
    session = db.new_session()
    try:
        yield from exports.csv_chunks(session, build, scope)
    finally:
        session.close()

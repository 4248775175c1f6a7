"""The bell, the notifications page, e-mail settings, one-click unsubscribe, announcements."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update

from portal import links
from portal.access import safe_next, site_admin_required, verified_required
from portal.extensions import csrf, db
from portal.models import Announcement, AnnouncementDismissal, Notification
from portal.models.notifications import CATEGORIES, MODES
from portal import notices
from portal.notifications.forms import AnnouncementForm
from portal.audit import record_admin_event
from workflows import clock

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PAGE_SIZE = 50


@bp.route("/")
@verified_required
def index():
    notices = list(db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                                      .order_by(Notification.created_at.desc()).limit(PAGE_SIZE)))
    return render_template("notifications/index.html", notices=notices)


@bp.route("/<id:notification_id>/open", methods=["POST"])
@verified_required
def open_notice(notification_id: int):
    notice = db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                          Notification.user_id == current_user.id))
    if notice is None:
        abort(404)
    notice.read_at = notice.read_at or clock.utcnow()
    db.session.commit()
    return redirect(safe_next(_local_path(notice.link), url_for("notifications.index")))


@bp.route("/read-all", methods=["POST"])
@verified_required
def read_all():
    db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                  Notification.read_at.is_(None)).values(read_at=clock.utcnow()))
    db.session.commit()
    flash("All notifications are marked as read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@verified_required
def settings():
    session = db.session
    if request.method == "POST":
        for category, (_, switchable) in CATEGORIES.items():
            mode = request.form.get(category)
            if switchable and mode in MODES:
                notices.set_preference(session, current_user.id, category, mode)
        notices.set_skill_alerts(current_user, request.form.get("skill_alerts") == "1")
        session.commit()
        flash("Your e-mail settings have been saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", categories=CATEGORIES, modes=MODES,
                           chosen=notices.preferences(session, current_user.id),
                           skill_alerts=current_user.skill_alerts_since is not None,
                           has_skills=bool(current_user.skills))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients post here without a session (RFC 8058); the signed token is the authority
@links.signed_link(notices.UNSUBSCRIBE_LINK)
def unsubscribe(link: links.Link):
    user_id, category = notices.unsubscribed(link)
    if request.method == "POST":
        notices.set_preference(db.session, user_id, category, "off")
        db.session.commit()
        return render_template("notifications/unsubscribed.html", label=CATEGORIES[category][0])
    return render_template("notifications/unsubscribe.html", label=CATEGORIES[category][0], token=link.token)


@bp.route("/announcements/<id:announcement_id>/dismiss", methods=["POST"])
@verified_required
def dismiss(announcement_id: int):
    if db.session.get(Announcement, announcement_id) is None:
        abort(404)
    db.session.merge(AnnouncementDismissal(user_id=current_user.id, announcement_id=announcement_id))
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("home.index")))


@bp.route("/announcements", methods=["GET", "POST"])
@site_admin_required
def announcements():
    form = AnnouncementForm()
    if form.validate_on_submit():
        announcement = Announcement(title=form.title.data, body=form.body.data or "", created_by_id=current_user.id)
        db.session.add(announcement)
        db.session.flush()
        record_admin_event(db.session, "announcement", announcement.id, "announced", actor=current_user)
        db.session.commit()
        flash("The announcement is showing to everyone.", "success")
        return redirect(url_for("notifications.announcements"))
    current = list(db.session.scalars(select(Announcement).where(Announcement.ends_at.is_(None))
                                      .order_by(Announcement.created_at.desc())))
    return render_template("notifications/announcements.html", form=form, current=current), \
        200 if not form.errors else 422


@bp.route("/announcements/<id:announcement_id>/end", methods=["POST"])
@site_admin_required
def end_announcement(announcement_id: int):
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        abort(404)
    announcement.ends_at = clock.utcnow()
    record_admin_event(db.session, "announcement", announcement.id, "ended", actor=current_user)
    db.session.commit()
    flash("The announcement has been taken down.", "success")
    return redirect(url_for("notifications.announcements"))


def _local_path(link: str | None) -> str | None:
    """Notices store absolute links (they are e-mail links too); follow only ones into this portal."""
    from flask import current_app

    base = current_app.config["SETTINGS"].portal_base_url
    if link and link.startswith(base + "/"):
        return link[len(base):]
    return None


@bp.app_context_processor
def _header():
    """The bell's unread count and the announcements this person has not dismissed: both counted when the
    signed-in user is loaded (notices.header_figures), so most pages ask nothing more."""
    def header_notices():
        user = current_user._get_current_object()
        if not user.is_authenticated or not user.is_verified:
            return {"unread": 0, "announcements": []}
        if "header_notices" not in g:  # the layout asks twice (bell and banner): work it out once per request
            unread = user.unread_notices
            if unread is None:  # loaded without the header figures, or reloaded after a change
                unread = notices.unread_count(db.session, user.id)
            g.header_notices = {"unread": unread, "announcements": notices.showing_announcements(db.session, user)}
        return g.header_notices
    return {"header_notices": header_notices}

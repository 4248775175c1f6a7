"""JSON API v1: the openapi document, who I am, my notifications. The blueprint and its rules are in
blueprint; opportunities and applications are in resources (imported here so the factory registers them)."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import func, select, update

from portal.api import questions, resources  # noqa: F401  (their routes are on this blueprint)
from portal.api.blueprint import api_input, api_user, bp, iso, page_of, paging
from portal.api.errors import ApiError
from portal.api.openapi import document
from portal.extensions import db
from portal.models import Notification
from workflows import clock

__all__ = ["bp"]


@bp.route("/openapi.json")
def openapi():
    from portal.accounts.services import allowed_domains

    return jsonify(document(allowed_domains(db.session)))


@bp.route("/me")
def me():
    user = api_user()
    return jsonify(id=user.id, name=user.name, email=user.email, agency=user.agency.name if user.agency else None,
                   is_contractor=user.is_contractor, skills=[s.name for s in user.skills])


def _notification(notice: Notification) -> dict:
    return {"id": notice.id, "category": notice.category, "title": notice.title, "link": notice.link,
            "created_at": iso(notice.created_at), "read": notice.read_at is not None}


@bp.route("/notifications")
def notifications():
    page, size = paging()
    statement = select(Notification).where(Notification.user_id == api_user().id) \
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    if api_input().query.get("unread") == "true":
        statement = statement.where(Notification.read_at.is_(None))
    return jsonify(page_of(statement, _notification, page, size))


@bp.route("/notifications/<id:notification_id>/read", methods=["POST"])
def read_notification(notification_id: int):
    result = db.session.execute(update(Notification).where(
        Notification.id == notification_id, Notification.user_id == api_user().id).values(
        read_at=func.coalesce(Notification.read_at, clock.utcnow())))
    if result.rowcount == 0:
        raise ApiError(404, "not_found", "There is no such notification of yours.")
    db.session.commit()
    return jsonify(_notification(db.session.get(Notification, notification_id)))

"""JSON API v1: bearer-token authentication, JSON errors, page + size pagination, per-token rate limits."""
from __future__ import annotations

import hashlib
from typing import Any, Callable

from flask import Blueprint, current_app, g, jsonify, request
from flask_limiter.util import get_remote_address
from sqlalchemy import func, select, update

from portal.api import tokens
from portal.api.openapi import document
from portal.extensions import csrf, db, limiter
from portal.forms import whole_number
from portal.models import Notification, User
from workflows import clock

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are read here: a bearer token is the only credential
MAX_SIZE = 100
PUBLIC = {"api.openapi"}


def rate_key() -> str:
    """Per token (its digest), or per address for requests without one."""
    header = request.headers.get("Authorization", "")
    return "t:" + hashlib.sha256(header.encode()).hexdigest()[:24] if header else "ip:" + get_remote_address()


def rate_limit() -> str:
    return current_app.config["SETTINGS"].api_rate_limit


limiter.limit(rate_limit, key_func=rate_key)(bp)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body: dict[str, Any] = {"code": error.code, "status": error.status, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    response = jsonify(error=body)
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="oneAPS Opportunities API"'
    return response


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    found = tokens.user_for(db.session, secret.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError(401, "unauthorised", "Send a valid personal API token as 'Authorization: Bearer <token>'. "
                                            "Create one on your profile page.")
    g.api_user, g.api_token = found
    db.session.commit()  # last_used_at
    return None


def api_user() -> User:
    return g.api_user


def paging() -> tuple[int, int]:
    """page (from 1) and size (1 to 100) from the query string; anything else is a 422."""
    problems = {}
    values = {}
    for name, default, low, high in (("page", 1, 1, 100_000), ("size", 20, 1, MAX_SIZE)):
        number = whole_number(request.args.get(name, str(default)), low, high)
        if number is None:
            problems[name] = [f"Must be a whole number from {low} to {high}."]
        else:
            values[name] = number
    if problems:
        raise ApiError(422, "invalid", "Some query parameters are not valid.", problems)
    return values["page"], values["size"]


def page_of(statement, serialise: Callable[[Any], dict], page: int, size: int, *, scalars: bool = True) -> dict:
    """One page of results plus the total, in two queries whatever the size of the table."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.execute(statement.limit(size).offset((page - 1) * size))
    items = [serialise(row) for row in (rows.scalars() if scalars else rows)]
    return {"items": items, "page": page, "size": size, "total": total,
            "next_page": page + 1 if page * size < total else None}


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


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
    if request.args.get("unread") == "true":
        statement = statement.where(Notification.read_at.is_(None))
    return jsonify(page_of(statement, _notification, page, size))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def read_notification(notification_id: int):
    result = db.session.execute(update(Notification).where(
        Notification.id == notification_id, Notification.user_id == api_user().id).values(
        read_at=func.coalesce(Notification.read_at, clock.utcnow())))
    if result.rowcount == 0:
        raise ApiError(404, "not_found", "There is no such notification of yours.")
    db.session.commit()
    return jsonify(_notification(db.session.get(Notification, notification_id)))


from portal.api import resources  # noqa: E402,F401  (its routes are on this blueprint)

"""The /api/v1 blueprint: bearer-token authentication, requests validated against the published document,
JSON errors, page + size pagination and per-token rate limits. The endpoints live in views and resources."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Callable

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address
from sqlalchemy import func, select

from portal.api import tokens, validation
from portal.api.errors import ApiError
from portal.extensions import csrf, db, limiter
from portal.models import User

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are read here: a bearer token is the only credential
PUBLIC = {"api.openapi"}
_URL_PART = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def rate_key() -> str:
    """Per token (its digest), or per address for requests without one."""
    header = request.headers.get("Authorization", "")
    return "t:" + hashlib.sha256(header.encode()).hexdigest()[:24] if header else "ip:" + get_remote_address()


def rate_limit() -> str:
    return current_app.config["SETTINGS"].api_rate_limit


limiter.limit(rate_limit, key_func=rate_key)(bp)


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC or request.method == "OPTIONS":  # OPTIONS only lists the methods (Allow)
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


def operation_path(rule: str) -> str:
    """The document's path for a route: /api/v1/opportunities/<id:opportunity_id> is /opportunities/{opportunity_id}."""
    return _URL_PART.sub(r"{\1}", rule.removeprefix(bp.url_prefix or ""))


@bp.before_request
def _validate():
    """Refuse (and change nothing) when the request does not match the operation the document publishes."""
    if request.method == "OPTIONS":
        return None
    from portal.accounts.services import allowed_domains

    method = "get" if request.method == "HEAD" else request.method.lower()
    operation = validation.operations(allowed_domains(db.session)).get(
        (operation_path(request.url_rule.rule), method), validation.Operation())  # undocumented: nothing accepted
    data = request.get_data(cache=True, parse_form_data=False)
    g.api_input = validation.check(operation, args=request.args, path_values=request.view_args or {},
                                   mimetype=request.mimetype, data=data,
                                   body_sent=bool(request.content_length or request.form or request.files))
    return None


def api_user() -> User:
    return g.api_user


def api_input() -> validation.Checked:
    """The query, path values and body of this request, already checked against the document."""
    return g.api_input


def paging() -> tuple[int, int]:
    """page (from 1) and size (1 to 100), checked and defaulted by the document."""
    return api_input().query["page"], api_input().query["size"]


def page_of(statement, serialise: Callable[[Any], dict], page: int, size: int, *, scalars: bool = True) -> dict:
    """One page of results plus the total, in two queries whatever the size of the table."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.execute(statement.limit(size).offset((page - 1) * size))
    items = [serialise(row) for row in (rows.scalars() if scalars else rows)]
    return {"items": items, "page": page, "size": size, "total": total,
            "next_page": page + 1 if page * size < total else None}


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None

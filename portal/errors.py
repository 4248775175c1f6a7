"""One place that turns refusals and failures into friendly pages or JSON bodies.

Domain code refuses by raising `workflows.Refused` (message, status, field). One handler answers it: the JSON
error body for the API's blueprint, the error page for every other. Where a refusal belongs beside a form
field, the view runs the domain call inside `shown_on(form)`, which puts it there instead.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows import Refused

log = logging.getLogger(__name__)

API_BLUEPRINT = "api"
TITLES = {
    400: "Something was wrong with that request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That cannot be done here",
    409: "That cannot be done right now",
    413: "That file is too large",
    422: "Something needs fixing",
    429: "Too many attempts",
    500: "Sorry, something went wrong on our side",
}


def wants_json() -> bool:
    """The API's blueprint answers in JSON (and so does an unknown address under its prefix)."""
    return request.blueprint == API_BLUEPRINT or (request.blueprint is None and request.path.startswith("/api/"))


def error_response(status: int, message: str, code: str | None = None, fields: dict[str, list[str]] | None = None):
    code = code or TITLES.get(status, "error").lower().replace(" ", "_")
    if wants_json():
        body: dict[str, Any] = {"code": code, "status": status, "message": message}
        if fields:
            body["fields"] = fields
        response = jsonify(error=body)
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="oneAPS Opportunities API"'
        return response
    return render_template("errors/error.html", status=status,
                           title=TITLES.get(status, "Something went wrong"), message=message), status


def _rollback() -> None:
    try:
        current_app.extensions["db"].session.rollback()
    except Exception:
        log.exception("could not roll back after an error")


@contextmanager
def shown_on(form: FlaskForm) -> Iterator[None]:
    """Run domain code whose refusal (409 or 422) belongs on `form`: rolled back, then shown beside the field it
    names, or above the form. The view sees `form.errors` and shows the form again; 403 and 404 reach the handler."""
    try:
        yield
    except Refused as refused:
        if refused.status not in (409, 422):
            raise
        _rollback()
        if refused.field is not None and refused.field in form:
            form[refused.field].errors = [*form[refused.field].errors, refused.message]
        else:
            form.form_errors.append(refused.message)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Refused)
    def _refused(error: Refused):
        _rollback()
        fields = getattr(error, "fields", None) or ({error.field: [error.message]} if error.field else None)
        return error_response(error.status, error.message, error.code, fields)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return error_response(400, "Your form expired or came from somewhere else. Go back, reload the page "
                                   "and try again.", "csrf_failed")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        message = error.description if status not in (500,) else TITLES[500]
        if status == 429:
            message = "You have tried too many times. Wait a few minutes and try again."
        response = make_response(error_response(status, message))
        for name, value in error.get_headers():  # such as Allow on a 405
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _rollback()
        return error_response(500, "The problem has been logged. Please try again in a few minutes.")

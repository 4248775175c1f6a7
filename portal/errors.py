"""One place that turns refusals and failures into friendly pages or JSON bodies."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows import TransitionRefused

log = logging.getLogger(__name__)

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
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str, code: str | None = None):
    code = code or TITLES.get(status, "error").lower().replace(" ", "_")
    if wants_json():
        return jsonify(error={"code": code, "status": status, "message": message}), status
    return render_template("errors/error.html", status=status,
                           title=TITLES.get(status, "Something went wrong"), message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TransitionRefused)
    def _refused(error: TransitionRefused):
        app.extensions["db"].session.rollback()
        return error_response(error.status, error.message, "transition_refused")

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
        body, status = error_response(status, message)
        return body, status, [(name, value) for name, value in error.get_headers()  # such as Allow on a 405
                              if name.lower() != "content-type"]

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        try:
            app.extensions["db"].session.rollback()
        except Exception:
            pass
        return error_response(500, "The problem has been logged. Please try again in a few minutes.")

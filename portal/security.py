"""Security headers on every response, set in one place."""
from __future__ import annotations

from flask import Flask, abort, g, request, session

from portal.sign_out import form_action_origin

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


def content_security_policy() -> str:
    """One policy for every page; a person who signed in through a provider may also be sent there to sign out."""
    origin = form_action_origin() if request.endpoint and not request.endpoint.startswith("static") else None
    return CSP.replace("form-action 'self'", f"form-action 'self' {origin}") if origin else CSP


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_bytes():
        """No database stores a NUL byte in text, and no person types one: refuse it before any view."""
        body = request.get_data(cache=True) if request.is_json else b""
        if b"\x00" in body or b"\\u0000" in body or any(
                "\x00" in value for source in (request.args, request.form) for values in source.listvalues()
                for value in values):
            abort(400, "Part of what you sent contains characters we cannot accept (a NUL byte). "
                       "Remove it and try again.")

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure or app.config["SETTINGS"].secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint and not request.endpoint.startswith("static"):
            if _revalidated(response):
                return response.make_conditional(request)
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _signed_in() -> bool:
        """From the person the request already loaded, else from the session (no statement for this alone)."""
        user = g.get("_login_user")
        return user.is_authenticated if user is not None else "_user_id" in session

    def _revalidated(response) -> bool:
        """A page for someone not signed in (help, sign-in, an e-mailed link's landing page) may stay in their own
        browser if it asks each time whether it changed: the ETag is the page's own digest, so a 304 is only ever
        sent for the very same bytes. A signed-in person's pages are never stored (shared computers)."""
        if (request.method not in ("GET", "HEAD") or response.status_code != 200 or response.is_streamed
                or response.mimetype != "text/html" or "Cache-Control" in response.headers or _signed_in()):
            return False
        response.add_etag()
        response.headers["Cache-Control"] = "private, no-cache"
        return True

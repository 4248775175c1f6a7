"""The session cookie: Flask's signed cookie, verified once a process.

Every signed-in request sends the same cookie until the session changes, and Flask checks its signature (an HMAC)
and decodes it afresh each time: about a twentieth of a simple page's Python. A cookie this process has verified is
kept (bounded, least recently used out first) with the time it was signed and its contents as text; the next request
with exactly that cookie, under the same keys, only checks its age and reads the text into a fresh session, so one
request's changes never reach another's. A cookie not seen before (changed, forged or expired) goes through Flask's
own check.
"""
from __future__ import annotations

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, TimestampSigner

from portal.cards import CardCache

COOKIES_KEPT = 10_000


class VerifiedOnceSessionInterface(SecureCookieSessionInterface):
    def __init__(self, size: int = COOKIES_KEPT) -> None:
        self._verified = CardCache(size)

    def open_session(self, app, request) -> SecureCookieSession | None:
        if not app.secret_key:  # as Flask: no key, no session
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()), value)
        kept = self._verified.get(key)
        if kept is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            kept = (int(signed_at.timestamp()), self.serializer.dumps(data))
            self._verified.put(key, kept)
        age = TimestampSigner.get_timestamp(None) - kept[0]  # by itsdangerous's own clock
        if not 0 <= age <= max_age:  # expired since it was kept: refused as itsdangerous refuses it
            return self.session_class()
        return self.session_class(self.serializer.loads(kept[1]))

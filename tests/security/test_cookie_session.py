"""The session cookie is verified once a process (portal/cookie_session.py): a kept cookie gives each request a
session of its own, a forged or changed one is refused as before, and a kept one still expires."""
from __future__ import annotations

import time
from datetime import timedelta

from itsdangerous import TimestampSigner

from portal.cookie_session import VerifiedOnceSessionInterface


def opened(app, interface, cookie: str):
    with app.test_request_context("/", headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}) as context:
        return interface.open_session(app, context.request)


def test_a_kept_cookie_gives_each_request_its_own_session(app):
    interface = VerifiedOnceSessionInterface()
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "7:1", "_flashes": [("info", "Saved.")]})
    first = opened(app, interface, cookie)
    first["_flashes"].append(("info", "changed in one request only"))
    second = opened(app, interface, cookie)
    assert second["_user_id"] == "7:1" and second["_flashes"] == [("info", "Saved.")]


def test_a_forged_or_changed_cookie_is_refused(app):
    interface = VerifiedOnceSessionInterface()
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, interface, cookie)["_user_id"] == "7:1"
    rest = cookie.partition(".")[2]
    forged = interface.get_signing_serializer(app).dump_payload({"_user_id": "8:1"}).decode() + "." + rest
    assert dict(opened(app, interface, forged)) == {}
    assert dict(opened(app, interface, cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))) == {}


def test_a_kept_cookie_still_expires(app, monkeypatch):
    interface = VerifiedOnceSessionInterface()
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, interface, cookie)["_user_id"] == "7:1"
    later = int(time.time() + app.permanent_session_lifetime.total_seconds()) + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)  # itsdangerous's clock
    assert dict(opened(app, interface, cookie)) == {}


def test_a_new_secret_key_refuses_a_kept_cookie(app, monkeypatch):
    interface = VerifiedOnceSessionInterface()
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, interface, cookie)["_user_id"] == "7:1"
    monkeypatch.setattr(app, "secret_key", "another secret key")
    assert dict(opened(app, interface, cookie)) == {}


def test_the_portal_uses_it(app):
    assert isinstance(app.session_interface, VerifiedOnceSessionInterface)
    assert app.permanent_session_lifetime == timedelta(hours=12)

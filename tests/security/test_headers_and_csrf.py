"""Security headers on every page, and CSRF on every form post of every route the app has."""
from __future__ import annotations

import re


# Endpoints that take no session cookie: bearer-token API calls and RFC 8058 one-click unsubscribe.
CSRF_EXEMPT = re.compile(r"^(api\.|notifications\.unsubscribe$|static$)")


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not CSRF_EXEMPT.match(rule.endpoint):
            values = {name: ("x" if name in ("token", "name", "action", "anything") else 1) for name in rule.arguments}
            if "action" in rule.arguments:
                values["action"] = "disable"
            values.update({name: value for name, value in (("how", "move"), ("change", "retire"), ("domain", "dta.gov.au"))
                           if name in rule.arguments})
            yield rule.endpoint, rule, values


def test_every_page_sends_the_security_headers(client):
    for path in ("/", "/sign-in", "/help/", "/no-such-page", "/api/v1/openapi.json"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # only over https


def test_hsts_and_secure_cookies_when_served_over_https(app, settings):
    from dataclasses import replace

    from tests.support.apps import another_app

    secure = another_app(app, replace(settings, portal_base_url="https://opportunities.example.gov.au"))
    client = secure.test_client()
    response = client.get("/sign-in", base_url="https://opportunities.example.gov.au")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_http_only_and_same_site(client):
    cookie = client.get("/sign-in").headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, web, signed_in):
    signed_in(site_admin=True)
    checked = []
    for endpoint, rule, values in _post_rules(app):
        with app.test_request_context():
            from flask import url_for

            path = url_for(endpoint, **values)
        response = web.post(path, {"anything": "1"}, csrf=False)
        assert response.status_code == 400, f"{endpoint} ({path}) answered {response.status_code} without a token"
        assert "form expired" in response.get_data(as_text=True)
        checked.append(endpoint)
    assert len(checked) >= 20

"""The development mail page lists everyone's sign-in links: shown only when asked for (DEV_MAIL_PAGE),
and only to whoever sits at the machine, never through a proxy on that machine."""
from __future__ import annotations

from dataclasses import replace

import pytest


def test_the_dev_mail_page_is_refused_to_requests_that_came_through_a_proxy(client):
    here = {"REMOTE_ADDR": "127.0.0.1"}

    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        assert client.get("/dev/mail/", environ_base=here, headers={header: "203.0.113.9"}).status_code == 404
    assert client.get("/dev/mail/", environ_base=here).status_code == 200


@pytest.mark.parametrize("redis", [None, "redis://127.0.0.1:6379/0"], ids=["embedded", "production"])
def test_the_dev_mail_page_exists_only_when_asked_for(app, settings, redis):
    from tests.support.apps import another_app

    without = another_app(app, replace(settings, dev_mail_page=False, redis_url=redis, testing=False))
    asked = another_app(app, replace(settings, dev_mail_page=True, redis_url=redis, testing=False))

    assert "devmail.index" not in {rule.endpoint for rule in without.url_map.iter_rules()}
    assert ("devmail.index" in {rule.endpoint for rule in asked.url_map.iter_rules()}) == (redis is None)

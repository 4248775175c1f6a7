"""Conditional GET: a page for someone not signed in carries its own digest as an ETag and answers 304 for the same
bytes; a signed-in person's pages are never stored."""
from __future__ import annotations


def test_a_help_page_for_a_visitor_answers_304_when_it_has_not_changed(client):
    first = client.get("/help/")

    assert first.status_code == 200 and first.headers["ETag"]
    assert first.cache_control.private and first.cache_control.no_cache and not first.cache_control.no_store

    again = client.get("/help/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""

    stale = client.get("/help/", headers={"If-None-Match": '"not-this-page"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()


def test_different_pages_have_different_tags(client):
    assert client.get("/help/").headers["ETag"] != client.get("/help/privacy").headers["ETag"]


def test_a_signed_in_persons_pages_are_never_stored_or_tagged(web, signed_in):
    signed_in()

    response = web.get("/help/")

    assert response.status_code == 200
    assert response.cache_control.no_store and "ETag" not in response.headers


def test_a_refused_or_posted_request_is_not_tagged(client):
    missing = client.get("/help/no-such-page")
    assert missing.status_code == 404 and "ETag" not in missing.headers
    posted = client.post("/sign-in", data={})
    assert "ETag" not in posted.headers and posted.cache_control.no_store

"""Someone who has not confirmed their e-mail address may sign in; every page tells them so with a button that
sends the link again (POST, CSRF, rate limited), and what needs a confirmed address is refused with what to do."""
from __future__ import annotations

import pytest

from tests.conftest import sign_in

BANNER = "Your e-mail address is not confirmed yet."


@pytest.fixture
def unconfirmed(web, make_user):
    person = make_user(name="Una Confirmed", email="una@dta.gov.au", verified=False)
    sign_in(web, person)
    return person


@pytest.mark.parametrize("path", ["/", "/help/", "/profile", "/help/for-managers"])
def test_every_page_tells_an_unconfirmed_person_and_offers_the_link_again(web, unconfirmed, path):
    page = web.get(path).get_data(as_text=True)

    assert BANNER in page and "una@dta.gov.au" in page
    assert 'action="/verify/resend"' in page and 'name="csrf_token"' in page and "Send the link again" in page


def test_signing_in_unconfirmed_lands_on_the_home_page_with_the_banner(web, make_user):
    person = make_user(email="una@dta.gov.au", verified=False)

    response = web.submit("/sign-in", {"email": person.email, "password": "correct horse battery staple"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert BANNER in web.get("/").get_data(as_text=True)


def test_the_button_sends_the_link_again_and_comes_back_to_the_page(web, unconfirmed, mailbox):
    web.get("/help/")

    response = web.post("/verify/resend", {"next": "/help/"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/help/")
    assert mailbox.wait_for_to("una@dta.gov.au", "Confirm your e-mail")
    assert "We have sent a new confirmation link" in web.get("/help/").get_data(as_text=True)


def test_the_button_goes_nowhere_else(web, unconfirmed):
    web.get("/")

    response = web.post("/verify/resend", {"next": "https://evil.example/"})

    assert response.headers["Location"].endswith("/verify")


def test_sending_again_needs_the_forms_csrf_token(web, unconfirmed, mailbox):
    response = web.post("/verify/resend", {"next": "/"}, csrf=False)

    assert response.status_code == 400


def test_sending_again_is_rate_limited(web, unconfirmed):
    web.get("/")
    answers = [web.post("/verify/resend", {"next": "/"}).status_code for _ in range(6)]

    assert answers[:5] == [302] * 5 and answers[5] == 429


@pytest.mark.parametrize(("method", "path"), [("GET", "/opportunities/new"), ("GET", "/applications"),
                                               ("POST", "/opportunities/new")])
def test_what_needs_a_confirmed_address_is_refused_with_what_to_do(web, unconfirmed, method, path):
    web.get("/")
    response = web.get(path) if method == "GET" else web.post(path, {"title": "An idea"})

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in page and "Send the link again" in page


def test_a_confirmed_person_sees_no_banner(web, make_user):
    sign_in(web, make_user())

    assert BANNER not in web.get("/").get_data(as_text=True)

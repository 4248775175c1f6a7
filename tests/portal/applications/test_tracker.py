"""My applications: state in words, next step, whom it waits on, timeline, links."""
from __future__ import annotations

from tests.support.applying import link_in


def test_tracker_shows_state_next_step_and_who_it_waits_on(web, applied, as_user, applicant):
    as_user(applicant)

    page = web.get("/applications").get_data(as_text=True)

    assert "Build a service dashboard" in page and "Applied" in page
    assert "The host team reads your application." in page
    assert "Olive Owner" in page


def test_tracker_timeline_lists_each_step(web, selected, as_user, applicant):
    as_user(applicant)

    page = web.get("/applications").get_data(as_text=True)

    assert page.count("<time") == 3
    assert "Waiting for home manager" in page


def test_tracker_links_to_the_arrangement_once_confirmed(web, selected, as_user, applicant, mailbox):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement")
    as_user(applicant)

    page = web.get("/applications").get_data(as_text=True)

    assert "Informal arrangement (version 1)" in page and "Nobody" not in page


def test_tracker_shows_only_my_own_applications(web, applied, signed_in):
    signed_in()

    page = web.get("/applications").get_data(as_text=True)

    assert "Build a service dashboard" not in page and "not applied for anything yet" in page


def test_my_applications_is_in_the_header_for_employees(web, signed_in):
    signed_in()

    assert 'href="/applications"' in web.get("/").get_data(as_text=True)

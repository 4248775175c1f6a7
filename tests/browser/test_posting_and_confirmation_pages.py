"""In a real browser, with axe-core on every page: a draft sent back by its approving manager says "Changes
requested" with the comment at the top of its page and its edit page; a person who has not confirmed their e-mail
signs in, sees the banner on every page, asks for the link again, and is refused what needs a confirmed address."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")

import support
from tests.support import factories
from tests.support.smtp import link_in

pytestmark = pytest.mark.browser
MANAGER = "morgan.manager@dta.gov.au"
COMMENT = "Say how many hours a week, and who supervises the work."


def test_a_draft_sent_back_shows_changes_requested_and_the_comment_at_the_top(live_server, browser, page, session,
                                                                               mailbox):
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au",
                           supervisor=("Morgan Manager", MANAGER))
    draft = factories.opportunity(session, owner, title="Map the grants journey", approving_manager_name=None,
                                  approving_manager_email=None)
    session.commit()
    manager = browser.new_context(base_url=live_server).new_page()
    try:
        support.sign_in(page, owner.email, factories.PASSWORD)
        page.goto(f"/opportunities/{draft.id}")
        assert "Before you can submit" not in page.content()  # the profile names the approving manager
        support.visit(page)
        page.goto(f"/opportunities/{draft.id}/submit")
        assert "Still to add" not in page.content()
        support.visit(page)
        page.get_by_role("button", name="Send for approval").click()
        page.wait_for_load_state()

        manager.goto(link_in(mailbox.wait_for_to(MANAGER, "Please approve"), "/approvals/link/"))
        manager.get_by_label("Ask for changes").check()
        manager.get_by_label("Comment").fill(COMMENT)
        manager.get_by_role("button", name="Send my decision").click()
        manager.wait_for_load_state()

        page.goto(f"/opportunities/{draft.id}")
        assert page.locator(".status").first.inner_text() == "Changes requested"
        notice = page.get_by_role("note").filter(has_text="Changes requested")
        assert COMMENT in notice.inner_text()
        support.visit(page, "posting_changes_requested")
        page.goto(f"/opportunities/{draft.id}/edit")
        assert COMMENT in page.get_by_role("note").filter(has_text="Changes requested").inner_text()
        support.visit(page, "posting_edit_changes_requested")
    finally:
        manager.context.close()


def test_an_unconfirmed_person_signs_in_sees_the_banner_and_asks_for_the_link_again(page, session, mailbox):
    person = factories.user(session, name="Una Confirmed", email="una.confirmed@dta.gov.au", verified=False)
    session.commit()

    support.sign_in(page, person.email, factories.PASSWORD)
    banner = page.get_by_role("region", name="Confirm your e-mail address")
    assert "not confirmed yet" in banner.inner_text()
    support.visit(page, "unconfirmed_home_banner")

    page.goto("/help/")
    page.get_by_role("button", name="Send the link again").click()
    page.wait_for_load_state()
    assert page.url.endswith("/help/") and "We have sent a new confirmation link" in page.content()
    assert mailbox.wait_for_to(person.email, "Confirm your e-mail")
    support.visit(page)

    response = page.goto("/opportunities/new")
    assert response.status == 403 and "Confirm your e-mail address first" in page.content()
    assert page.get_by_role("button", name="Send the link again").is_visible()
    support.visit(page, "unconfirmed_refused")

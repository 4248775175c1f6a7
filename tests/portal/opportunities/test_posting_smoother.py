"""Posting, smoother: a field the form marks optional is optional to submit, the approving-manager warning shows
only when their details are missing, and a draft sent back says "Changes requested" with the manager's comment."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.models import Opportunity
from tests.portal.approvals.test_opportunity_approval import submitted
from tests.portal.opportunities.test_posting import form_data
from tests.support import factories

OPTIONAL_LABEL = re.compile(r'<label for="([\w-]+)">[^<]*<span class="optional">\(optional\)</span>')
MANAGER = ("Pat Boss", "pat.boss@example.gov.au")


def _marked_optional(web) -> set[str]:
    return set(OPTIONAL_LABEL.findall(web.get("/opportunities/new").get_data(as_text=True)))


def test_only_fields_submitting_does_not_need_are_marked_optional(web, signed_in):
    signed_in()

    optional = _marked_optional(web)

    assert optional == {"what_you_gain", "about_team", "team", "location_state", "location_city", "contact_name",
                        "contact_email"}


@pytest.mark.parametrize("name", ["what_you_gain", "about_team", "team", "location_state", "location_city",
                                  "contact_name", "contact_email"])
def test_a_form_saved_without_an_optional_field_is_accepted_for_approval(web, session, signed_in, name):
    signed_in(supervisor=MANAGER)
    assert name in _marked_optional(web)

    saved = web.submit("/opportunities/new", form_data(session, **{name: None}))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    draft = session.scalar(select(Opportunity))
    assert not getattr(draft, name)

    sent = web.submit(f"/opportunities/{draft.id}/submit",
                      {"approving_manager_name": MANAGER[0], "approving_manager_email": MANAGER[1]})

    assert sent.status_code == 302, sent.get_data(as_text=True)
    session.refresh(draft)
    assert draft.state == "approval"


def test_no_approving_manager_warning_when_the_profile_names_one(web, session, signed_in):
    owner = signed_in(supervisor=MANAGER)
    draft = factories.opportunity(session, owner, approving_manager_name=None, approving_manager_email=None)
    session.commit()

    page = web.get(f"/opportunities/{draft.id}").get_data(as_text=True)
    submit_page = web.get(f"/opportunities/{draft.id}/submit").get_data(as_text=True)

    assert "approving manager" not in page and "Before you can submit" not in page
    assert "Still to add" not in submit_page


def test_the_approving_manager_warning_shows_when_their_details_are_missing(web, session, signed_in):
    owner = signed_in()
    owner.supervisor_name = owner.supervisor_email = None
    draft = factories.opportunity(session, owner, approving_manager_name=None, approving_manager_email=None)
    session.commit()

    page = web.get(f"/opportunities/{draft.id}").get_data(as_text=True)
    submit_page = web.get(f"/opportunities/{draft.id}/submit").get_data(as_text=True)

    assert "the approving manager&#39;s e-mail address" in page and "Before you can submit" in page
    assert "Still to add" in submit_page and "approving manager" in submit_page


def test_after_changes_are_asked_for_the_badge_and_the_comment_show_at_the_top(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    owner = opportunity.owner
    web.post("/sign-out")
    web.get(path)
    web.post(path, {"decision": "request_changes", "comment": "Say how many hours a week."})
    signed_in(owner)

    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    edit = web.get(f"/opportunities/{opportunity.id}/edit").get_data(as_text=True)

    assert '<span class="status">Changes requested</span>' in page
    for html, content in ((page, 'class="with-sidebar"'), (edit, 'novalidate class="form"')):
        top = html.index('id="changes-requested"')
        assert html.index("<h1") < top < html.index("Say how many hours a week.") < html.index(content)


def test_the_comment_goes_once_the_draft_is_submitted_again(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    owner = opportunity.owner
    web.post("/sign-out")
    web.get(path)
    web.post(path, {"decision": "request_changes", "comment": "Say how many hours a week."})
    signed_in(owner)
    web.submit(f"/opportunities/{opportunity.id}/submit",
               {"approving_manager_name": "Morgan Manager", "approving_manager_email": "morgan.manager@example.gov.au"})

    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)

    assert "Changes requested" not in page and "Waiting for approval" in page


def test_a_new_draft_shows_no_changes_requested(web, session, signed_in):
    owner = signed_in()
    draft = factories.opportunity(session, owner)
    session.commit()

    assert "Changes requested" not in web.get(f"/opportunities/{draft.id}").get_data(as_text=True)

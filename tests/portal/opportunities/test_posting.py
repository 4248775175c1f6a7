"""Posting an opportunity: drafts, per-field errors, completeness on submit, contractors, edits, copies."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.forms import planned_dates
from portal.models import Agency, Opportunity, Skill
from tests.support import factories
from workflows import clock


def form_data(session, **changes) -> dict:
    today = clock.canberra_today()
    agency_id = session.scalar(select(Agency.id).where(Agency.abbreviation == "DTA"))
    skill_ids = list(session.scalars(select(Skill.id).order_by(Skill.id).limit(2)))
    data = {"title": "Service designer for a digital ID pilot", "summary": "Map the journey.",
            "what_you_do": "Run workshops.", "what_you_gain": "Experience.", "about_team": "Friendly.",
            "kind": "project", "skills": [str(s) for s in skill_ids], "host_agency_id": str(agency_id),
            "work_mode": "remote", "location_state": "", "commitment_amount": "4",
            "commitment_kind": "hours_per_week", "start_date": (today + timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=90)).isoformat(),
            "deadline": (today + timedelta(days=14)).isoformat(), "positions": "2", "clearance": "none",
            "contact_name": "Sam", "contact_email": "sam@example.gov.au"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_draft_can_be_saved_with_only_a_title(web, session, signed_in):
    owner = signed_in()
    response = web.submit("/opportunities/new", {"title": "Just an idea", "kind": "project", "work_mode": "remote",
                                                 "commitment_kind": "hours_per_week", "clearance": "none",
                                                 "positions": "1", "host_agency_id": "0"})
    assert response.status_code == 302
    draft = session.scalar(select(Opportunity))
    assert (draft.title, draft.state, draft.owner_id) == ("Just an idea", "draft", owner.id)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(web, session, signed_in):
    signed_in()
    response = web.submit("/opportunities/new", form_data(session, title="x" * 101, positions="25"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in page and "100 characters or fewer" in page
    assert 'id="positions-error"' in page
    assert session.scalar(select(Opportunity)) is None


def test_end_date_before_start_date_is_refused(web, session, signed_in):
    signed_in()
    today = clock.canberra_today()
    response = web.submit("/opportunities/new", form_data(session, end_date=today.isoformat()))
    assert response.status_code == 422
    assert "on or after the start date" in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value", [("deadline", "1900-01-01"), ("end_date", "9999-12-31"),
                                          ("start_date", "0001-01-01"), ("start_date", "2199-06-30")])
def test_a_date_outside_any_sensible_range_is_refused_next_to_the_field(web, session, signed_in, field, value):
    signed_in()

    response = web.submit("/opportunities/new", form_data(session, **{field: value}))

    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in page
    earliest, latest = planned_dates(clock.canberra_today())
    assert f"Enter a date from {earliest.day} {earliest:%B %Y} to {latest.day} {latest:%B %Y}" in page
    assert session.scalar(select(Opportunity)) is None


def test_dates_at_the_ends_of_the_planned_range_are_kept(web, session, signed_in):
    signed_in()
    earliest, latest = planned_dates(clock.canberra_today())

    response = web.submit("/opportunities/new", form_data(session, deadline=earliest.isoformat(),
                                                          start_date=earliest.isoformat(), end_date=latest.isoformat()))

    assert response.status_code == 302
    assert session.scalar(select(Opportunity.end_date)) == latest


def test_search_text_and_commitment_band_are_kept_when_saved(web, session, signed_in):
    signed_in()
    web.submit("/opportunities/new", form_data(session))
    opportunity = session.scalar(select(Opportunity))
    assert "Service designer" in opportunity.search_text and "Digital Transformation Agency" in opportunity.search_text
    assert opportunity.skills[0].name in opportunity.search_text
    assert opportunity.commitment_band == "up_to_1_day"


def test_markdown_in_descriptions_is_rendered_without_scripts(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, what_you_do="**Bold** <script>alert(1)</script>")
    session.commit()
    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page


def test_the_form_warns_against_sensitive_information(web, signed_in):
    signed_in()
    assert "Do not include sensitive information" in web.get("/opportunities/new").get_data(as_text=True)


def test_someone_elses_draft_is_not_found(web, session, make_user, signed_in):
    draft = factories.opportunity(session, make_user())
    session.commit()
    signed_in()
    assert web.get(f"/opportunities/{draft.id}").status_code == 404
    assert web.get(f"/opportunities/{draft.id}/edit").status_code == 404


def test_a_contractor_must_name_the_federal_manager(web, session, signed_in):
    signed_in(contractor=True)
    response = web.submit("/opportunities/new", form_data(session))
    assert response.status_code == 422
    assert "Name the federal manager" in response.get_data(as_text=True)


def test_the_named_federal_manager_with_an_account_becomes_owner(web, session, make_user, signed_in):
    manager = make_user(email="fed.manager@example.gov.au")
    contractor = signed_in(contractor=True)
    web.submit("/opportunities/new", form_data(session, approving_manager_name="Fed Manager",
                                               approving_manager_email="Fed.Manager@example.gov.au"))
    opportunity = session.scalar(select(Opportunity))
    assert opportunity.owner_id == manager.id and opportunity.creator_id == contractor.id
    assert [u.id for u in opportunity.coowners] == [contractor.id]
    assert opportunity.approving_manager_email == "fed.manager@example.gov.au"


def test_a_substantive_edit_of_an_open_opportunity_goes_back_to_approval(web, session, signed_in, mailbox):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}/edit")
    response = web.post(f"/opportunities/{opportunity.id}/edit",
                        form_data(session, title="A new title", version=str(opportunity.version)))
    assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "approval"
    mailbox.wait_for_to("morgan.manager@example.gov.au", "Please approve")


def test_a_contact_change_keeps_an_open_opportunity_open(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}/edit")
    data = form_data(session, title=opportunity.title, summary=opportunity.summary,
                     what_you_do=opportunity.what_you_do, what_you_gain=opportunity.what_you_gain,
                     about_team=opportunity.about_team, start_date=opportunity.start_date.isoformat(),
                     end_date=opportunity.end_date.isoformat(), deadline=opportunity.deadline.isoformat(),
                     contact_name="Someone Else", version=str(opportunity.version))
    web.post(f"/opportunities/{opportunity.id}/edit", data)
    session.refresh(opportunity)
    assert (opportunity.state, opportunity.contact_name) == ("open", "Someone Else")
    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "<strong>Edited</strong>" in page[page.index("<h2>Timeline</h2>"):]


def test_an_edit_from_a_stale_page_is_refused(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    web.get(f"/opportunities/{opportunity.id}/edit")
    response = web.post(f"/opportunities/{opportunity.id}/edit", form_data(session, version="99"))
    assert response.status_code == 409
    assert "changed this opportunity" in response.get_data(as_text=True)


def test_an_opportunity_can_be_copied_into_a_new_draft(web, session, signed_in):
    owner = signed_in()
    original = factories.opportunity(session, owner, state="rejected")
    session.commit()
    web.get(f"/opportunities/{original.id}")
    response = web.post(f"/opportunities/{original.id}/copy")
    copy = session.scalar(select(Opportunity).where(Opportunity.id != original.id))
    assert response.status_code == 302 and response.location.endswith(f"/opportunities/{copy.id}/edit")
    assert (copy.state, copy.title, copy.deadline) == ("draft", original.title, None)
    assert [s.id for s in copy.skills] == [s.id for s in original.skills]


def test_owners_can_add_a_co_owner_by_e_mail(web, session, make_user, signed_in, mailbox):
    colleague = make_user(email="colleague@example.gov.au")
    owner = signed_in()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    web.post(f"/opportunities/{opportunity.id}/coowners", {"email": "colleague@example.gov.au"})
    session.refresh(opportunity)
    assert [u.id for u in opportunity.coowners] == [colleague.id]
    mailbox.wait_for_to("colleague@example.gov.au", "co-owner")


def test_an_unknown_co_owner_is_refused_next_to_the_field(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    response = web.post(f"/opportunities/{opportunity.id}/coowners", {"email": "nobody@example.gov.au"})
    assert response.status_code == 422
    assert "Ask them to register first" in response.get_data(as_text=True)

"""The owner's view: opportunities by state with applicant counts, timeline, cancel; the viewer's button."""
from __future__ import annotations


from portal.models import Application
from tests.support import factories, statements


def applied(session, opportunity, applicant, state="applied"):
    application = Application(opportunity=opportunity, applicant=applicant, state=state, statement="Keen",
                              home_manager_name="Boss", home_manager_email="boss@example.gov.au")
    session.add(application)
    return application


def test_my_opportunities_groups_by_state_with_applicant_counts(web, session, make_user, signed_in):
    owner = signed_in()
    listed = factories.opportunity(session, owner, state="open", title="Listed with applicants")
    factories.opportunity(session, owner, title="Still a draft")
    applied(session, listed, make_user())
    applied(session, listed, make_user(), state="confirmed")
    applied(session, listed, make_user(), state="withdrawn")
    session.commit()
    page = web.get("/opportunities/mine").get_data(as_text=True)
    assert page.index("<h2>Draft</h2>") < page.index("<h2>Open</h2>")
    row = page[page.index("Listed with applicants"):]
    assert "<td>2</td>" in row[:200] and "1 of 2" in row[:300]
    assert "You: finish it and submit it for approval" in page


def test_my_opportunities_uses_a_fixed_number_of_queries(web, session, make_user, signed_in):
    owner = signed_in()
    web.get("/opportunities/mine")

    def count() -> int:
        with statements.recorded() as sent:
            web.get("/opportunities/mine")
        return len(sent)

    factories.opportunity(session, owner, state="open")
    session.commit()
    one = count()
    for _ in range(5):
        applied(session, factories.opportunity(session, owner, state="open"), make_user())
    session.commit()
    assert count() == one


def test_co_owners_see_the_opportunity_in_their_list(web, session, make_user, signed_in):
    colleague = signed_in()
    opportunity = factories.opportunity(session, make_user(), title="Shared work")
    opportunity.coowners.append(colleague)
    session.commit()
    assert "Shared work" in web.get("/opportunities/mine").get_data(as_text=True)


def test_timeline_shows_what_happened_newest_first(web, session, signed_in, mailbox):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    web.submit(f"/opportunities/{opportunity.id}/submit",
               {"approving_manager_name": "Morgan Manager", "approving_manager_email": "morgan.manager@example.gov.au"})
    web.submit(f"/opportunities/{opportunity.id}/cancel", {"reason": "Funding ended"})
    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    timeline = page[page.index("<h2>Timeline</h2>"):]
    assert timeline.index("Cancel") < timeline.index("Submit")
    assert "Funding ended" in timeline


def test_cancelling_needs_a_reason(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    session.commit()
    response = web.submit(f"/opportunities/{opportunity.id}/cancel", {"reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "open"


def test_cancelling_tells_everyone_who_applied(web, session, make_user, signed_in, mailbox):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    applicant = make_user()
    applied(session, opportunity, applicant)
    session.commit()
    web.submit(f"/opportunities/{opportunity.id}/cancel", {"reason": "The project lost its funding."})
    session.refresh(opportunity)
    assert opportunity.state == "cancelled"
    message = mailbox.wait_for_to(applicant.email, "Cancelled")
    assert "lost its funding" in message.get_body(preferencelist=("plain",)).get_content()


def test_someone_else_cannot_cancel(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="open")
    session.commit()
    signed_in()
    assert web.get(f"/opportunities/{opportunity.id}/cancel").status_code == 404


def test_owner_can_pause_and_resume_applications(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    web.post(f"/opportunities/{opportunity.id}/applications-toggle", {"version": str(opportunity.version)})
    session.refresh(opportunity)
    assert (opportunity.state, opportunity.accepting_applications) == ("open", False)


def test_closing_selection_needs_a_confirmed_participant(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    response = web.post(f"/opportunities/{opportunity.id}/close-selection")
    assert response.status_code == 409
    assert "at least one participant is confirmed" in response.get_data(as_text=True)


def test_owner_closes_selection_with_one_confirmed_then_completes(web, session, make_user, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open")
    applied(session, opportunity, make_user(), state="confirmed")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    web.post(f"/opportunities/{opportunity.id}/close-selection")
    session.refresh(opportunity)
    web.get(f"/opportunities/{opportunity.id}/complete")
    web.post(f"/opportunities/{opportunity.id}/complete", {"version": opportunity.version})
    session.refresh(opportunity)
    assert opportunity.state == "completed"


def test_completing_the_opportunity_asks_about_each_participant(web, session, make_user, signed_in, mailbox):
    from portal.models import Application, Certificate

    owner = signed_in()
    opportunity = factories.opportunity(session, owner, state="open", positions=2)
    done = applied(session, opportunity, make_user(name="Dana Done"), state="confirmed")
    later = applied(session, opportunity, make_user(name="Lee Later"), state="confirmed")
    factories.ended(opportunity)
    opportunity.state = "matched"
    session.commit()

    page = web.get(f"/opportunities/{opportunity.id}/complete").get_data(as_text=True)
    assert "Dana Done" in page and "Lee Later" in page
    web.post(f"/opportunities/{opportunity.id}/complete", {"version": opportunity.version, "completed": [done.id]})

    session.expire_all()
    assert session.get(Application, done.id).state == "completed"
    assert session.get(Application, later.id).state == "confirmed"
    assert session.get(type(opportunity), opportunity.id).state == "completed"
    mailbox.wait_for_to(done.applicant.email, "certificate")
    assert session.query(Certificate).filter_by(application_id=done.id).count() == 1


def test_contractors_are_told_why_they_cannot_apply(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="open")
    session.commit()
    signed_in(contractor=True)
    assert "Contractors cannot apply" in web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)


def test_people_who_applied_are_told_so(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="open")
    viewer = signed_in()
    applied(session, opportunity, viewer)
    session.commit()
    assert "You have applied" in web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)


def test_paused_opportunities_say_they_are_not_taking_applications(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="open", accepting_applications=False)
    session.commit()
    signed_in()
    assert "not taking applications" in web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)


def test_a_matched_opportunity_is_closed_to_applications(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="matched")
    session.commit()
    signed_in()
    assert "Applications are closed" in web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)


def test_an_eligible_employee_is_offered_apply(app, session, make_user):
    from portal.opportunities.queries import call_to_action, viewer_facts

    opportunity = factories.opportunity(session, make_user(), state="open")
    viewer = make_user()
    facts = viewer_facts(session, opportunity, viewer)
    assert (facts.applied, facts.positions_open, facts.saved) == (False, opportunity.positions, False)
    assert call_to_action(opportunity, viewer, facts) == "apply"

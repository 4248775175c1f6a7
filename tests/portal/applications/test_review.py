"""The owner's review: the applicants list, shortlisting, selecting, not selecting."""
from __future__ import annotations

from portal.models import Application
from tests.support.applying import link_in
from tests.support import factories, statements


def add_applicants(session, opportunity, count: int) -> list[Application]:
    made = []
    for _ in range(count):
        person = factories.user(session)
        person.skills = factories.skills(session)[:2]
        made.append(Application(opportunity=opportunity, applicant=person, statement="Keen to help.",
                                home_manager_name="M", home_manager_email="m@dta.gov.au"))
    session.add_all(made)
    session.commit()
    return made


def test_review_page_shows_statement_and_skills_match(web, applicant, signed_in, owner, session, opening):
    opening.skills = factories.skills(session)[:3]
    applicant.skills = factories.skills(session)[:1]
    factories.application(session, opening, applicant, statement="I have built three dashboards for the ATO.")
    session.commit()
    signed_in(owner)

    page = web.get(f"/opportunities/{opening.id}/applicants").get_data(as_text=True)

    assert "Ari Applicant" in page and "three dashboards" in page
    assert "1 of 3 skills" in page


def test_review_page_is_not_found_for_anyone_but_the_hosts(web, signed_in, session, opening):
    factories.application(session, opening)
    session.commit()
    signed_in()

    assert web.get(f"/opportunities/{opening.id}/applicants").status_code == 404


def test_review_page_uses_the_same_number_of_queries_for_many_applicants(web, signed_in, owner, opening, session):
    signed_in(owner)
    add_applicants(session, opening, 1)
    web.get(f"/opportunities/{opening.id}/applicants")
    with statements.recorded() as few:
        assert web.get(f"/opportunities/{opening.id}/applicants").status_code == 200
    add_applicants(session, opening, 6)
    with statements.recorded() as many:
        page = web.get(f"/opportunities/{opening.id}/applicants")

    assert page.get_data(as_text=True).count('class="card applicant"') == 7
    assert len(many) == len(few) == 2  # the person with the opportunity and its counts by state; the page's rows
    assert "FROM users LEFT OUTER JOIN opportunities" in many[0]  # one round trip for both (portal/page_rows.py)


def test_review_page_shows_25_applicants_a_page_with_the_count(web, signed_in, owner, opening, session):
    made = add_applicants(session, opening, 30)
    signed_in(owner)
    path = f"/opportunities/{opening.id}/applicants"

    first, second = web.get(path).get_data(as_text=True), web.get(f"{path}?page=2").get_data(as_text=True)
    fifty = web.get(f"{path}?per_page=50").get_data(as_text=True)

    assert first.count('class="card applicant"') == 25 and "Showing 1 to 25 of 30." in first
    assert second.count('class="card applicant"') == 5 and "Showing 26 to 30 of 30." in second
    assert 'rel="next"' in first and 'rel="prev"' in second and f"applicant-{made[-1].id}" in second
    assert fifty.count('class="card applicant"') == 30 and "Page 1 of" not in fifty


def test_review_page_filters_by_state_and_counts_each_state(web, signed_in, owner, opening, session):
    made = add_applicants(session, opening, 4)
    for application in made[:3]:
        application.state = "shortlisted"
    session.commit()
    signed_in(owner)

    page = web.get(f"/opportunities/{opening.id}/applicants?state=shortlisted").get_data(as_text=True)

    assert page.count('class="card applicant"') == 3 and f"applicant-{made[3].id}" not in page
    assert "Showing 1 to 3 of 3 shortlisted." in page and ">Applied (1)</option>" in page
    assert web.get(f"/opportunities/{opening.id}/applicants?state=nonsense&page=99").status_code == 200


def test_shortlisting_moves_the_application_to_shortlisted(web, applied, as_user, owner, session):
    as_user(owner)
    web.get(f"/opportunities/{applied.opportunity_id}/applicants")

    response = web.post(f"/applications/{applied.id}/shortlist", {"version": str(applied.version)})

    assert response.status_code == 302
    session.refresh(applied)
    assert applied.state == "shortlisted"


def test_selecting_asks_the_home_manager_by_email(selected, mailbox):
    message = mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve")

    assert link_in(message, "/applications/decision/")
    assert mailbox.wait_for_to("ari.applicant@ato.gov.au", "You have been selected")


def test_not_selected_applicant_is_told_kindly_with_the_owners_message(web, applied, as_user, owner, session,
                                                                        mailbox):
    as_user(owner)

    response = web.submit(f"/applications/{applied.id}/not-selected",
                          {"message": "Your SQL was great; please apply again."})

    assert response.status_code == 302
    session.refresh(applied)
    assert applied.state == "not_selected" and applied.owner_message.startswith("Your SQL")
    text = mailbox.wait_for_to("ari.applicant@ato.gov.au", "About your application").get_body(("plain",)).get_content()
    assert "Your SQL was great" in text and "Thank you for applying" in text


def test_the_rest_are_not_selected_in_one_go_once_positions_are_filled(web, selected, session, opening):
    waiting = add_applicants(session, opening, 2)
    web.get(f"/opportunities/{opening.id}/applicants")

    response = web.post(f"/opportunities/{opening.id}/applicants/not-selected")

    assert response.status_code == 302
    session.expire_all()
    assert {session.get(Application, a.id).state for a in waiting} == {"not_selected"}
    session.refresh(selected)
    assert selected.state == "manager_approval"


def test_the_rest_stay_while_positions_are_left(web, applied, as_user, owner, session, opening):
    as_user(owner)
    web.get(f"/opportunities/{opening.id}/applicants")

    web.post(f"/opportunities/{opening.id}/applicants/not-selected")

    session.refresh(applied)
    assert applied.state == "applied"


def test_a_stale_page_cannot_overwrite_a_newer_decision(web, applied, as_user, owner, session):
    as_user(owner)
    web.get(f"/opportunities/{applied.opportunity_id}/applicants")
    stale_version = str(applied.version)
    web.post(f"/applications/{applied.id}/shortlist", {"version": stale_version})

    again = web.post(f"/applications/{applied.id}/shortlist", {"version": stale_version})

    assert again.status_code == 409 and "Someone else changed this" in again.get_data(as_text=True)


def test_an_illegal_move_gets_a_clear_refusal_page(web, selected, session):
    response = web.post(f"/applications/{selected.id}/shortlist")

    assert response.status_code == 409
    assert "cannot be done while it is manager approval" in response.get_data(as_text=True)
    session.refresh(selected)
    assert selected.state == "manager_approval"

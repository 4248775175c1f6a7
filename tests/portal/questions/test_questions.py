"""Questions on an opportunity, through the pages: asking (length, plain text, rate limit), the owners told (in
the portal and by e-mail, or in their digest), answering (the asker told, the answer public), hiding (audited),
the home to-do list, and the opportunity page's statement count."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import AuditEvent, Notification, OutboxMessage, Question
from portal.models.questions import ANSWER_LENGTH, QUESTION_LENGTH
from portal.notices import set_preference
from tests.conftest import sign_in
from tests.support import factories, statements
from tests.support.smtp import text_of
from tests.support.web import Web


@pytest.fixture
def owners(make_user, session):
    owner = make_user(name="Olive Owner")
    coowner = make_user(name="Cody Coowner")
    opportunity = factories.open_opportunity(session, owner, title="Service dashboard")
    opportunity.coowners = [coowner]
    session.commit()
    return owner, coowner, opportunity


def _ask(web, opportunity, body="Can I do this two days a week?"):
    web.get(f"/opportunities/{opportunity.id}")
    return web.post(f"/opportunities/{opportunity.id}/questions/new", {"body": body})


def test_asking_tells_every_owner_in_the_portal_and_by_email_and_shows_the_question_only_to_the_asker(
        web, app, session, make_user, mailbox, owners):
    owner, coowner, opportunity = owners
    asker = make_user(name="Ari Asker")
    sign_in(web, asker)

    response = _ask(web, opportunity, "Can I do this\ntwo days a week?")

    assert response.status_code == 302 and response.headers["Location"].endswith("#questions")
    question = session.scalar(select(Question))
    assert (question.state, question.asker_id, question.body) == ("open", asker.id, "Can I do this\ntwo days a week?")
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "question")) == "ask"
    for person in (owner, coowner):
        told = mailbox.wait_for_to(person.email, "A question about Service dashboard")
        assert "two days a week?" in text_of(told) and f"/questions/{question.id}/answer" in text_of(told)
        assert session.scalar(select(Notification.title).where(Notification.user_id == person.id)) == \
            "A question about Service dashboard"
    assert "two days a week?" in web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    stranger = Web(app.test_client())
    sign_in(stranger, make_user())
    assert "two days a week?" not in stranger.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)


def test_an_owner_who_chose_the_daily_digest_gets_the_question_there_not_straight_away(
        web, session, make_user, owners):
    owner, coowner, opportunity = owners
    set_preference(session, owner.id, "my_opportunities", "digest")
    session.commit()
    sign_in(web, make_user())

    _ask(web, opportunity)

    statuses = dict(session.execute(select(OutboxMessage.recipient, OutboxMessage.status)
                                    .where(OutboxMessage.template == "question_asked")).all())
    assert statuses[owner.email] == "held" and statuses[coowner.email] != "held"


def test_the_owner_answers_the_asker_is_told_and_everyone_sees_the_answer_without_the_askers_name(
        web, app, session, make_user, mailbox, owners):
    owner, coowner, opportunity = owners
    asker = make_user(name="Ari Asker")
    question = factories.question(session, opportunity, asker, body="Is it remote?")
    session.commit()
    sign_in(web, coowner)
    web.get(f"/questions/{question.id}/answer")

    response = web.post(f"/questions/{question.id}/answer", {"answer": "Yes, fully remote.", "version": "1"})

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Question, question.id)
    assert (stored.state, stored.answer, stored.answered_by_id) == ("answered", "Yes, fully remote.", coowner.id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "answer"))
    assert (event.record_type, event.from_state, event.to_state, event.actor_id) == \
        ("question", "open", "answered", coowner.id)
    told = mailbox.wait_for_to(asker.email, "Your question about Service dashboard has been answered")
    assert "Yes, fully remote." in text_of(told)
    assert session.scalar(select(Notification.category).where(Notification.user_id == asker.id)) == "my_questions"
    reader = Web(app.test_client())
    sign_in(reader, make_user())
    page = reader.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "Is it remote?" in page and "Yes, fully remote." in page and "Ari Asker" not in page


def test_an_owner_can_reword_an_answer_without_telling_the_asker_again(web, session, mailbox, owners):
    owner, _, opportunity = owners
    question = factories.question(session, opportunity, state="answered", answer="Yes.")
    session.commit()
    sign_in(web, owner)
    web.get(f"/questions/{question.id}/answer")

    response = web.post(f"/questions/{question.id}/answer", {"answer": "Yes, on Tuesdays.", "version": "1"})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Question, question.id).answer == "Yes, on Tuesdays."
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "question")) == "edit_answer"
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.template == "question_answered")) is None


def test_only_owners_answer_and_the_asker_gets_a_clear_refusal(web, session, make_user, owners):
    _, _, opportunity = owners
    asker = make_user()
    question = factories.question(session, opportunity, asker)
    session.commit()
    sign_in(web, asker)

    assert web.get(f"/questions/{question.id}/answer").status_code == 403
    web.get(f"/opportunities/{opportunity.id}")
    assert web.post(f"/questions/{question.id}/answer", {"answer": "I say yes"}).status_code == 403
    session.expire_all()
    assert session.get(Question, question.id).state == "open"


def test_an_unanswered_question_is_not_found_by_anyone_else(web, session, make_user, owners):
    _, _, opportunity = owners
    question = factories.question(session, opportunity)
    session.commit()
    sign_in(web, make_user())

    assert web.get(f"/questions/{question.id}/answer").status_code == 404
    assert web.get(f"/questions/{question.id}/hide").status_code == 404


def test_hiding_takes_the_question_off_the_page_and_is_audited_with_the_reason(web, app, session, make_user, owners):
    owner, _, opportunity = owners
    question = factories.question(session, opportunity, state="answered", body="Buy cheap watches here")
    session.commit()
    sign_in(web, owner)
    web.get(f"/questions/{question.id}/hide")

    response = web.post(f"/questions/{question.id}/hide", {"reason": "Spam", "version": "1"})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Question, question.id).state == "hidden"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "hide"))
    assert (event.from_state, event.to_state, event.reason, event.actor_id) == ("answered", "hidden", "Spam", owner.id)
    reader = Web(app.test_client())
    sign_in(reader, make_user())
    assert "Buy cheap watches" not in reader.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    owners_page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "Buy cheap watches" in owners_page and "Hidden" in owners_page


def test_an_admin_of_the_host_agency_may_hide_but_not_answer(web, session, make_user, owners):
    _, _, opportunity = owners
    question = factories.question(session, opportunity)
    admin = factories.agency_admin(session, opportunity.host_agency.abbreviation)
    session.commit()
    sign_in(web, admin)

    assert web.get(f"/questions/{question.id}/answer").status_code == 403
    web.get(f"/questions/{question.id}/hide")
    assert web.post(f"/questions/{question.id}/hide", {"version": "1"}).status_code == 302


@pytest.mark.parametrize("body, message", [
    ("", "Write your question"),
    ("   \n  ", "Write your question"),
    ("x" * (QUESTION_LENGTH + 1), f"Keep your question to {QUESTION_LENGTH} characters or fewer"),
    ("Hidden\u202etext", "Remove the unusual or invisible characters"),
    ("Bell\x07character", "Remove the unusual or invisible characters"),
])
def test_a_question_that_is_empty_too_long_or_holds_control_characters_is_refused_beside_the_field(
        web, session, make_user, owners, body, message):
    _, _, opportunity = owners
    sign_in(web, make_user())

    response = _ask(web, opportunity, body)

    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert session.scalar(select(Question)) is None


def test_an_answer_too_long_is_refused_and_changes_nothing(web, session, owners):
    owner, _, opportunity = owners
    question = factories.question(session, opportunity)
    session.commit()
    sign_in(web, owner)
    web.get(f"/questions/{question.id}/answer")

    response = web.post(f"/questions/{question.id}/answer", {"answer": "y" * (ANSWER_LENGTH + 1), "version": "1"})

    assert response.status_code == 422 and f"{ANSWER_LENGTH} characters or fewer" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Question, question.id).state == "open"


def test_asking_is_rate_limited_per_person_and_refused_forms_do_not_count(web, app, session, make_user, owners):
    _, _, opportunity = owners
    sign_in(web, make_user())
    for _ in range(3):
        assert _ask(web, opportunity, "").status_code == 422
    for n in range(5):
        assert _ask(web, opportunity, f"Question {n}?").status_code == 302

    assert _ask(web, opportunity, "One more?").status_code == 429
    assert session.query(Question).count() == 5
    someone_else = Web(app.test_client())
    sign_in(someone_else, make_user())
    assert _ask(someone_else, opportunity, "My first?").status_code == 302


def test_owners_cannot_ask_and_nobody_asks_once_it_is_not_open(web, session, make_user, owners):
    owner, _, opportunity = owners
    sign_in(web, owner)
    assert _ask(web, opportunity).status_code == 403
    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "Ask the owners" not in page

    opportunity.state = "matched"
    session.commit()
    web.post("/sign-out")
    sign_in(web, make_user())
    assert _ask(web, opportunity).status_code == 409
    assert session.scalar(select(Question)) is None


def test_unanswered_questions_on_my_opportunities_are_on_my_home_page(web, session, owners):
    owner, coowner, opportunity = owners
    waiting = factories.question(session, opportunity)
    factories.question(session, opportunity, state="answered")
    factories.question(session, opportunity, state="hidden")
    session.commit()

    for person in (owner, coowner):
        sign_in(web, person)
        page = web.get("/").get_data(as_text=True)
        assert page.count("Answer a question about") == 1 and f"/questions/{waiting.id}/answer" in page
        web.post("/sign-out")


def test_the_opportunity_page_takes_the_same_number_of_statements_whatever_the_questions(
        web, session, make_user, owners):
    owner, _, opportunity = owners
    sign_in(web, owner)
    factories.question(session, opportunity, state="answered")
    session.commit()
    with statements.recorded(this_thread_only=True) as few:
        web.get(f"/opportunities/{opportunity.id}")
    for state in ("open", "answered", "hidden") * 3:
        factories.question(session, opportunity, state=state)
    session.commit()
    with statements.recorded(this_thread_only=True) as many:
        page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)

    assert page.count('class="question"') == 10
    assert len(few) == len(many)


def test_an_opportunity_nobody_has_asked_about_needs_no_statement_for_its_questions(web, session, owners):
    """The page's own statement says whether anyone has asked: most opportunities have no questions."""
    owner, _, opportunity = owners
    sign_in(web, owner)
    with statements.recorded(this_thread_only=True) as none_asked:
        empty = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    factories.question(session, opportunity, state="answered", body="Can I work from Hobart?")
    session.commit()
    with statements.recorded(this_thread_only=True) as one_asked:
        page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)

    assert "No questions have been answered yet." in empty and "Ask the owners" not in empty  # owners do not ask
    assert "Can I work from Hobart?" in page
    assert len(one_asked) == len(none_asked) + 1
    assert not any(statement.startswith("SELECT questions.") for statement in none_asked)


def test_a_persons_data_download_holds_the_questions_they_asked(session, make_user, owners):
    import io
    import json
    import zipfile

    from portal.privacy.export import archive

    _, _, opportunity = owners
    asker = make_user(name="Ari Asker")
    factories.question(session, opportunity, asker, body="Is it remote?")
    factories.question(session, opportunity, body="Someone else's")
    session.commit()

    records = json.loads(zipfile.ZipFile(io.BytesIO(archive(session, asker))).read("records.json"))

    assert [(q["body"], q["opportunity_title"]) for q in records["questions_asked"]] == \
        [("Is it remote?", "Service dashboard")]

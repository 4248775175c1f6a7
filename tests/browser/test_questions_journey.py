"""Q&A on an opportunity in a real browser, with and without JavaScript: a reader asks, the owner finds it on
their to-do list and answers, the answer is public without the asker's name, and a spam question is hidden.
Every page visited is checked with axe-core (with JavaScript on: axe needs it)."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")
from sqlalchemy import select

import support
from portal.models import Question
from tests.support import factories
from tests.support.smtp import text_of

pytestmark = pytest.mark.browser


@pytest.fixture
def page(page_either_way):
    return page_either_way


def test_ask_answer_and_hide_a_question(live_server, page, session, mailbox):
    olive = factories.user(session, name="Olive Owner")
    ari = factories.user(session, name="Ari Asker", agency_abbreviation="ATO")
    bea = factories.user(session, name="Bea Reader")
    opportunity = factories.open_opportunity(session, olive, title="Service dashboard")
    spam = factories.question(session, opportunity, bea, body="Buy cheap watches")
    session.commit()

    support.sign_in(page, ari.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}")
    support.visit_either_way(page)
    support.click(page, "button", "Ask the owners")  # nothing typed: the ask page shows the error beside the field
    assert "Write your question" in page.locator("#body-error").inner_text()
    support.visit_either_way(page, "questions_ask_error")
    page.get_by_label("Your question").fill("Could I do this two days a week?\nI work part-time.")
    support.click(page, "button", "Ask the owners")
    assert "Only you and the owners can see this question" in page.content()
    support.visit_either_way(page)
    support.sign_out(page)
    session.expire_all()
    asked = session.scalar(select(Question).where(Question.asker_id == ari.id))

    support.sign_in(page, olive.email, factories.PASSWORD)
    assert page.get_by_role("link", name="Answer a question about “Service dashboard”").count() == 2
    support.visit_either_way(page)
    page.locator(f'a[href$="/questions/{asked.id}/answer"]').click()
    page.wait_for_load_state()
    assert "Ari Asker" in page.content()
    support.visit_either_way(page, "questions_answer")
    page.get_by_label("Your answer").fill("Yes: Tuesdays and Thursdays suit us.")
    support.click(page, "button", "Publish the answer")
    assert "Tuesdays and Thursdays" in page.content()
    page.locator(f"#question-{spam.id}").get_by_role("link", name="Hide").click()
    page.wait_for_load_state()
    support.visit_either_way(page, "questions_hide")
    page.get_by_label("Why hide it?").fill("Advertising, not a question")
    support.click(page, "button", "Hide the question")
    session.expire_all()
    assert session.get(Question, spam.id).state == "hidden"
    support.sign_out(page)

    support.sign_in(page, bea.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}")
    content = page.content()
    assert "two days a week?" in content and "Tuesdays and Thursdays suit us." in content
    assert "Ari Asker" not in content and "Buy cheap watches" not in content
    support.visit_either_way(page, "questions_public")
    told = mailbox.wait_for_to(ari.email, "Your question about Service dashboard has been answered")
    assert "Tuesdays and Thursdays suit us." in text_of(told)
    session.expire_all()
    answered = session.get(Question, asked.id)
    assert (answered.state, answered.answered_by_id) == ("answered", olive.id)

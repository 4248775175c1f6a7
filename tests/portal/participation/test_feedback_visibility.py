"""Feedback that counts: each side sees the other's once both have given it or 14 days after completion, and the
participant chooses whether their host's comment shows on their profile."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.models import Application, AuditEvent, Feedback
from portal.models.applications import FEEDBACK_REVEAL_AFTER, feedback_revealed, feedback_revealed_sql
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock

HOSTS_COMMENT = "Ari ran the research sessions superbly."


@pytest.fixture
def host(make_user):
    return make_user(name="Olive Owner")


@pytest.fixture
def participant(make_user):
    return make_user(name="Ari Applicant")


@pytest.fixture
def completed(session, host, participant):
    opportunity = factories.opportunity(session, host, state="completed")
    found = factories.application(session, opportunity, participant, state="completed")
    session.commit()
    return found


def _give(session, application, role: str, author, rating: int = 5, comment: str | None = None) -> Feedback:
    found = Feedback(application_id=application.id, author_role=role, author_id=author.id, rating=rating,
                     comment=comment)
    session.add(found)
    session.commit()
    return found


def test_participant_does_not_see_the_hosts_feedback_before_giving_their_own(web, session, completed, host,
                                                                              participant):
    _give(session, completed, "owner", host, comment=HOSTS_COMMENT)
    sign_in(web, participant)

    before = web.get(f"/applications/{completed.id}/feedback").get_data(as_text=True)
    web.post(f"/applications/{completed.id}/feedback", {"rating": "4", "comment": "A welcoming team."})
    after = web.get(f"/applications/{completed.id}/feedback").get_data(as_text=True)

    assert HOSTS_COMMENT not in before and "once you have both given feedback" in before
    assert HOSTS_COMMENT in after


def test_host_sees_the_participants_feedback_14_days_after_completion_without_giving_theirs(
        web, session, completed, host, participant):
    _give(session, completed, "participant", participant, comment="Clear tasks, kind people.")
    sign_in(web, host)

    early = web.get(f"/applications/{completed.id}/feedback").get_data(as_text=True)
    with clock.moved_by(FEEDBACK_REVEAL_AFTER):
        late = web.get(f"/applications/{completed.id}/feedback").get_data(as_text=True)

    assert "Clear tasks, kind people." not in early
    assert "Clear tasks, kind people." in late


@pytest.mark.parametrize("given_by", [(), ("owner",), ("participant",), ("owner", "participant")])
@pytest.mark.parametrize("days_since", [0, 13, 14, 30])
def test_the_rule_and_its_sql_agree(session, completed, host, participant, given_by, days_since):
    completed.completed_at = clock.utcnow() - timedelta(days=days_since)
    for role in given_by:
        _give(session, completed, role, host if role == "owner" else participant)

    seen_by_sql = set(session.scalars(select(Feedback.author_role).join(Application).where(feedback_revealed_sql())))

    expected = set(given_by) if feedback_revealed(given_by, completed.completed_at) else set()
    assert seen_by_sql == expected
    assert feedback_revealed(given_by, completed.completed_at) == (len(given_by) == 2 or days_since >= 14)


def test_participant_chooses_to_show_the_hosts_comment_on_their_profile(web, session, completed, host,
                                                                        participant):
    _give(session, completed, "owner", host, comment=HOSTS_COMMENT)
    _give(session, completed, "participant", participant)
    sign_in(web, participant)
    hidden = web.get("/profile").get_data(as_text=True)

    web.get(f"/applications/{completed.id}/feedback")
    response = web.post(f"/applications/{completed.id}/feedback/profile", {"shown": "yes"})

    assert response.status_code == 302
    assert HOSTS_COMMENT not in hidden
    assert HOSTS_COMMENT in web.get("/profile").get_data(as_text=True)
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "feedback")) == "shown_on_profile"
    web.post(f"/applications/{completed.id}/feedback/profile", {"shown": "no"})
    assert HOSTS_COMMENT not in web.get("/profile").get_data(as_text=True)


def test_the_hosts_comment_cannot_go_on_the_profile_before_it_may_be_read(web, session, completed, host,
                                                                          participant):
    _give(session, completed, "owner", host, comment=HOSTS_COMMENT)
    sign_in(web, participant)
    web.get(f"/applications/{completed.id}/feedback")

    response = web.post(f"/applications/{completed.id}/feedback/profile", {"shown": "yes"})

    assert response.status_code == 409
    assert session.scalar(select(Feedback.shown_on_profile)) is False


def test_only_the_participant_decides_what_shows_on_their_profile(web, session, completed, host, participant):
    _give(session, completed, "owner", host, comment=HOSTS_COMMENT)
    _give(session, completed, "participant", participant)
    sign_in(web, host)
    web.get(f"/applications/{completed.id}/feedback")

    response = web.post(f"/applications/{completed.id}/feedback/profile", {"shown": "yes"})

    assert response.status_code == 403
    assert session.scalar(select(Feedback.shown_on_profile).where(Feedback.author_role == "owner")) is False

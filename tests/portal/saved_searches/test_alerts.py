"""The daily alert of new opportunities matching a person's saved searches or skills, with a moved clock."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMessage, SavedSearch, User
from portal.notifications.digest import send_daily_digests
from portal.notices import set_preference
from portal.saved_searches.alerts import send_new_opportunity_alerts
from portal.sweeps import load_all
from tests.support import factories
from tests.support.smtp import text_of
from tests.support.statements import recorded
from tests.support.together import run_sweep_twice_at_once
from workflows import clock

MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=clock.CANBERRA)
TEMPLATE = "new_opportunity_alert"


def at(hours: float = 0, days: int = 0):
    return clock.frozen_at(MONDAY + timedelta(days=days, hours=hours))


def reader(session, query: str | None = "q=dashboard", skills: bool = False, **fields) -> User:
    """Someone watching `query` (alert on) since Monday 9 am, and opted in to skill matches if asked."""
    with at():
        person = factories.user(session, name="Riley Reader", **fields)
        if query:
            session.add(SavedSearch(user_id=person.id, name="Dashboards", query=query, alert=True))
        if skills:
            person.skills = factories.skills(session)[2:3]
            person.skill_alerts_since = clock.utcnow()
        session.commit()
    return person


def publish(session, hours: float = 1, days: int = 0, agency: str = "DTA", **fields):
    """An opportunity approved at Monday 9 am + `hours`; by default it matches "dashboard" and no skill of the
    reader's (the factory's first two skills)."""
    with at(hours, days):
        owner = factories.user(session, agency_abbreviation=agency)
        opportunity = factories.open_opportunity(session, owner, **fields)
        session.commit()
    return opportunity


def sweep(hours: float = 2, days: int = 0, dry_run: bool = False) -> list[str]:
    with at(hours, days), db.transaction() as session:
        return send_new_opportunity_alerts(session, dry_run)


def queued(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.template == TEMPLATE)
                                .order_by(OutboxMessage.id)))


def titles(message: OutboxMessage) -> list[str]:
    return [item["title"] for group in message.context["groups"] for item in group["opportunities"]]


def test_a_new_matching_opportunity_arrives_in_one_e_mail_with_its_link(session, mailbox, settings):
    person = reader(session)
    wanted = publish(session, title="Build a service dashboard")
    publish(session, title="Policy writing", summary="Draft a policy.", what_you_do="Write.")

    assert sweep() == [f"alert of 1 new to {person.email}"]

    message = mailbox.wait_for_to(person.email, "1 new opportunity for you")
    text = text_of(message)
    assert "Dear Riley Reader" in text and "Dashboards" in text
    assert "Build a service dashboard" in text and "Policy writing" not in text
    assert f"{settings.portal_base_url}/opportunities/{wanted.id}" in text
    assert f"{settings.portal_base_url}/saved-searches/" in text


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_brings_only_what_is_newer(session, mailbox):
    person = reader(session)
    publish(session, title="First dashboard")
    assert len(sweep()) == 1
    publish(session, hours=3, title="Second dashboard")

    assert sweep(hours=4) == []
    assert len(sweep(hours=2, days=1)) == 1

    first, second = queued(session)
    assert titles(first) == ["First dashboard"] and titles(second) == ["Second dashboard"]
    mailbox.wait_for(lambda m: person.email in m["To"] and "Second dashboard" in text_of(m))
    assert len(mailbox.to(person.email)) == 2


def test_nothing_new_sends_nothing(session):
    reader(session)
    publish(session, hours=-2, title="Old dashboard")  # approved before the search was saved
    assert sweep() == []
    assert queued(session) == []


def test_a_search_that_found_nothing_still_finds_what_is_approved_later_that_day(session):
    reader(session)
    publish(session, title="Policy writing", summary="Draft a policy.", what_you_do="Write.")
    assert sweep() == []
    publish(session, hours=3, title="Later dashboard")

    assert len(sweep(hours=4)) == 1
    assert titles(queued(session)[0]) == ["Later dashboard"]


def test_an_approval_from_the_last_minute_waits_for_the_next_run(session):
    reader(session)
    publish(session, title="Just approved dashboard")
    assert sweep(hours=1 + 30 / 3600) == []
    assert len(sweep(hours=1 + 5 / 60)) == 1


def test_an_opportunity_only_for_another_agency_is_left_out(session):
    reader(session, skills=True)
    skill = factories.skills(session)[2:3]
    publish(session, agency="ATO", restricted_to_agency=True, title="ATO-only dashboard", skills=skill)
    publish(session, agency="ATO", title="Dashboard for everyone")

    sweep()

    [message] = queued(session)
    assert titles(message) == ["Dashboard for everyone"]


def test_skill_matches_are_sent_only_to_people_who_opted_in(session):
    opted_in = reader(session, query=None, skills=True)
    not_opted_in = reader(session, query=None)
    not_opted_in.skills = factories.skills(session)[2:3]
    session.commit()
    publish(session, title="Matches a skill", what_you_do="Run a survey.", skills=factories.skills(session)[2:3])
    publish(session, title="Shares no skill")

    sweep()

    [message] = queued(session)
    assert message.recipient == opted_in.email
    assert message.context["groups"][0]["name"] == "Matches your skills"
    assert titles(message) == ["Matches a skill"]


def test_an_opportunity_is_listed_once_under_the_first_group_it_matches(session):
    reader(session, skills=True)
    publish(session, title="Dashboard with my skill", skills=factories.skills(session)[2:3])
    publish(session, title="Only my skill", what_you_do="Run a survey.", skills=factories.skills(session)[2:3])

    sweep()

    [message] = queued(session)
    assert [(g["name"], [i["title"] for i in g["opportunities"]]) for g in message.context["groups"]] == \
        [("Dashboards", ["Dashboard with my skill"]), ("Matches your skills", ["Only my skill"])]


def test_closed_opportunities_and_searches_with_the_alert_off_are_not_sent(session):
    person = reader(session)
    publish(session, state="matched", title="Already matched dashboard")
    assert sweep() == []
    session.execute(SavedSearch.__table__.update().values(alert=False))
    session.commit()
    publish(session, hours=3, title="Open dashboard")
    assert sweep(hours=4) == []
    assert person.email not in [m.recipient for m in queued(session)]


def test_switching_the_category_off_sends_nothing(session, mailbox):
    person = reader(session, skills=True)
    set_preference(session, person.id, "digests", "off")
    session.commit()
    publish(session, title="Dashboard", skills=factories.skills(session)[2:3])

    assert sweep() == []
    assert queued(session) == [] and mailbox.to(person.email) == []


def test_once_a_day_preference_folds_the_alert_into_the_daily_summary(session, mailbox):
    person = reader(session)
    set_preference(session, person.id, "digests", "digest")
    session.commit()
    publish(session, title="Dashboard")

    sweep()
    with at(hours=3), db.transaction() as digest_session:
        send_daily_digests(digest_session, False)

    summary = mailbox.wait_for_to(person.email, "daily summary")
    assert "1 new opportunity for you" in text_of(summary)
    assert [m["Subject"] for m in mailbox.to(person.email)] == [summary["Subject"]]


def test_a_bounced_address_gets_the_notice_but_no_e_mail(session, mailbox):
    person = reader(session)
    person.email_bounced_at = clock.utcnow()
    session.commit()
    publish(session, title="Dashboard")

    sweep()

    [message] = queued(session)
    assert message.status == "skipped" and mailbox.to(person.email) == []


def test_a_dry_run_lists_the_alert_and_sends_nothing(session):
    person = reader(session)
    publish(session, title="Dashboard")
    assert sweep(dry_run=True) == [f"alert of 1 new to {person.email}"]
    assert queued(session) == []
    assert len(sweep()) == 1


def test_two_runs_at_once_send_one_alert(session, mailbox, app):
    person = reader(session)
    publish(session, title="Dashboard")
    with at(hours=2):  # the clock is one for the whole process: frozen here, not in each thread
        run_sweep_twice_at_once(app, send_new_opportunity_alerts)

    mailbox.wait_for_to(person.email, "new opportunity")
    time.sleep(1)
    assert len(mailbox.to(person.email)) == 1
    assert session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.template == TEMPLATE)) == 1


def test_the_sweep_is_registered_for_beat_and_the_command_line():
    assert load_all()["saved_search_alerts"] is send_new_opportunity_alerts


def _statements(hours: float, days: int = 0) -> int:
    with recorded(this_thread_only=True) as statements:
        sweep(hours=hours, days=days)
    return len(statements)


def test_the_sweep_costs_the_same_for_one_new_opportunity_as_for_six(session):
    """Statements grow with the people and searches alerted, never with the opportunities listed."""
    for n in range(3):
        reader(session, skills=n == 0)
    publish(session, title="Dashboard 0", skills=factories.skills(session)[2:3])
    one_new = _statements(hours=2)
    for n in range(1, 7):
        publish(session, days=1, title=f"Dashboard {n}", skills=factories.skills(session)[2:3])

    six_new = _statements(hours=2, days=1)
    nothing_new = _statements(hours=3, days=1)

    assert six_new == one_new
    assert nothing_new <= 4
    assert [len(titles(m)) for m in queued(session)] == [1, 1, 1, 6, 6, 6]

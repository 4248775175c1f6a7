"""The new-opportunity alert: one e-mail a day at most listing what has been published since a person's
last alert that matches their saved searches (those with the alert on) or shares a skill with their profile.

A sweep of its own rather than a part of the daily digest, sent in the "digests" category so that the
person's choice for that category decides how it arrives: "straight away" sends it as its own e-mail,
"once a day" holds it for the daily summary, which then carries it in that one daily e-mail, and "off"
leaves the person out before anything is looked up. Either way there is at most one alert per person per
Canberra day: a reminders_sent row (person, day) is claimed before the e-mail is queued, so running the
sweep twice, or two at once, queues it once. Nothing new, nothing sent (and nothing claimed, so something
published later that day still goes out that day). A bounced address is queue_email's business: the
notice appears under the bell, no e-mail is sent.

Each search (and each person's skills) keeps a watermark: opportunities approved after it are new. It moves
on when an alert is queued, and also when a run looked and found nothing, so a search that matches nothing
is not asked again until something newer is approved.

A run takes at most PEOPLE_PER_RUN people who may have something new (lowest ids first); the rest wait for
the next run, a few minutes later, so one run stays short however many thousands are alerted that day.

Cost of a run, whatever the number of saved searches: one query for the newest approval, one for the people
of this run, one for the due searches, two to load the opportunities approved since the oldest of their
watermarks (with skills), one matching every distinct set of words against those (new_opportunities.NewOpportunities:
the facets are then checked in Python against that handful, never a query per search or per opportunity),
one for the skill matches of everyone opted in (plus one each to load those people, opportunities and skills
when there are any), one claiming everyone's alert for today, a handful queueing all the e-mails
(outbox.queue_emails), and up to four UPDATEs moving the watermarks. When nothing is newer than any
watermark that is two statements which find nothing.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from portal.models import NotificationPreference, Opportunity, ReminderSent, SavedSearch, User
from portal.models.opportunities import opportunity_skills
from portal.models.users import user_skills
from portal.opportunities import policy
from portal.opportunities.new_opportunities import NewOpportunities
from portal.opportunities.search import Filters
from portal.outbox import Email, queue_emails
from portal.sweeps import claim_many, sweep, today_step
from portal.templating import canberra_date
from portal.urls import external_url
from workflows import clock

KIND = "new-opportunity-alert"
CATEGORY = "digests"
LISTED_PER_GROUP = 10
SETTLE = timedelta(minutes=1)  # an approval committed just after its timestamp is still seen, by the next run
SKILLS_GROUP = "Matches your skills"
PEOPLE_PER_RUN = 2000  # the rest wait for the next run (SWEEP_INTERVAL_SECONDS), keeping each run short


def _due(step: int) -> list:
    """People who may get an alert today: verified, enabled, not yet alerted today, not switched off."""
    alerted = select(ReminderSent.record_id).where(ReminderSent.kind == KIND, ReminderSent.step == step)
    off = select(NotificationPreference.user_id).where(NotificationPreference.category == CATEGORY,
                                                       NotificationPreference.mode == "off")
    return [User.verified_at.is_not(None), User.disabled_at.is_(None), User.id.not_in(alerted), User.id.not_in(off)]


@sweep("saved_search_alerts")
def send_new_opportunity_alerts(session: Session, dry_run: bool) -> list[str]:
    """Queue each due person's alert listing what is new for them, grouped by saved search then skills."""
    until, step = clock.utcnow() - SETTLE, today_step()
    newest = session.scalar(select(func.max(Opportunity.approved_at)).where(Opportunity.state == "open"))
    if newest is None:
        return []
    due = _due(step)
    waiting = select(User.id).where(*due, or_(
        exists().where(SavedSearch.user_id == User.id, SavedSearch.alert.is_(True), SavedSearch.new_since < newest),
        User.skill_alerts_since < newest)).order_by(User.id).limit(PEOPLE_PER_RUN)
    this_run = list(session.scalars(waiting))
    if not this_run:
        return []
    due.append(User.id.in_(this_run))
    people: dict[int, User] = {}
    items: dict[int, dict] = {}
    groups: dict[int, list[tuple[str, str, list[Opportunity]]]] = defaultdict(list)
    quiet: list[int] = []
    matched: dict[int, list[int]] = defaultdict(list)
    searches = session.execute(select(SavedSearch, User).join(User, User.id == SavedSearch.user_id)
                               .where(SavedSearch.alert.is_(True), SavedSearch.new_since < newest, *due)
                               .order_by(User.id, func.lower(SavedSearch.name))).all()
    asked = [(saved, user, Filters.from_query_string(saved.query).for_person(user)) for saved, user in searches]
    if asked:
        new = NewOpportunities(session, min(saved.new_since for saved, _, _ in asked), until,
                               {filters.q for _, _, filters in asked})
    for saved, user, filters in asked:
        found = new.matching(filters, user.agency_id, saved.new_since)
        if not found:
            quiet.append(saved.id)
            continue
        people[user.id] = user
        matched[user.id].append(saved.id)
        groups[user.id].append((saved.name, _browse_link(saved.query), found))
    skill_checked = [User.skill_alerts_since.is_not(None), User.skill_alerts_since < newest, *due]
    for user, found, skill_ids in _skill_matches(session, skill_checked, until):
        people[user.id] = user
        groups[user.id].append((SKILLS_GROUP, _browse_link(Filters(skill=skill_ids).query_string()), found))
    if dry_run:
        return [f"alert of {_count(_listed_once(found, items))} new to {people[user_id].email}"
                for user_id, found in groups.items()]
    _move_on_quiet(session, quiet, [*skill_checked, User.id.not_in(list(groups))], until)
    lines, alerted, alerted_searches, emails = [], [], [], []
    claimed = claim_many(session, KIND, list(groups), step)
    for user_id, found in groups.items():
        user, listed = people[user_id], _listed_once(found, items)
        lines.append(f"alert of {_count(listed)} new to {user.email}")
        if user_id not in claimed:
            continue
        emails.append(Email("new_opportunity_alert", user.email,
                            {"count": _count(listed), "groups": listed, "link": external_url("saved_searches.index")},
                            key=f"{KIND}:{user_id}:{step}", name=user.name, category=CATEGORY))
        alerted.append(user_id)
        alerted_searches += matched[user_id]
    queue_emails(session, emails)
    _move_on(session, alerted, alerted_searches, until)
    return lines


def _count(listed: list[dict]) -> int:
    return sum(len(group["opportunities"]) + group["more"] for group in listed)


def _skill_matches(session: Session, checked: list,
                   until: datetime) -> list[tuple[User, list[Opportunity], tuple[int, ...]]]:
    """For everyone opted in: the opportunities they may see, approved since their last alert, that share a
    skill with their profile (one statement for everyone), with their skills for the "see them all" link.

    The statement starts from the few opportunities approved since the oldest watermark among these people
    and reaches the people through the skills, rather than pairing every person with every open one."""
    oldest = session.scalar(select(func.min(User.skill_alerts_since)).where(*checked))
    if oldest is None:
        return []
    pairs = session.execute(
        select(User.id, Opportunity.id, Opportunity.approved_at).distinct()
        .join(opportunity_skills, opportunity_skills.c.opportunity_id == Opportunity.id)
        .join(user_skills, user_skills.c.skill_id == opportunity_skills.c.skill_id)
        .join(User, User.id == user_skills.c.user_id)
        .where(*checked, Opportunity.approved_at > oldest, Opportunity.approved_at > User.skill_alerts_since,
               Opportunity.approved_at <= until, *policy.listed(User.agency_id, clock.canberra_today()))
        .order_by(User.id, Opportunity.approved_at.desc(), Opportunity.id.desc())).all()
    if not pairs:
        return []
    user_ids = {user_id for user_id, _, _ in pairs}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    loaded = {o.id: o for o in session.scalars(select(Opportunity).where(
        Opportunity.id.in_({opportunity_id for _, opportunity_id, _ in pairs})))}
    skills: dict[int, list[int]] = defaultdict(list)
    for user_id, skill_id in session.execute(select(user_skills.c.user_id, user_skills.c.skill_id)
                                             .where(user_skills.c.user_id.in_(user_ids))):
        skills[user_id].append(skill_id)
    found: dict[int, list[Opportunity]] = defaultdict(list)
    for user_id, opportunity_id, _ in pairs:
        found[user_id].append(loaded[opportunity_id])
    return [(users[user_id], opportunities, tuple(sorted(skills[user_id])))
            for user_id, opportunities in found.items()]


def _listed_once(groups: list[tuple[str, str, list[Opportunity]]], items: dict[int, dict]) -> list[dict]:
    """Each opportunity under the first group it matches (saved searches by name, then skills); groups left
    empty are dropped; at most LISTED_PER_GROUP listed in each, the rest counted."""
    seen: set[int] = set()
    listed = []
    for name, link, opportunities in groups:
        fresh = [o for o in opportunities if o.id not in seen]
        seen.update(o.id for o in fresh)
        if fresh:
            listed.append({"name": name, "link": link, "opportunities": [_item(o, items) for o in fresh[:LISTED_PER_GROUP]],
                           "more": max(0, len(fresh) - LISTED_PER_GROUP)})
    return listed


def _item(opportunity: Opportunity, items: dict[int, dict]) -> dict:
    """How the e-mail lists one opportunity: worked out once a run (in `items`) however many people get it."""
    if opportunity.id not in items:
        items[opportunity.id] = _describe(opportunity)
    return items[opportunity.id]


def _describe(opportunity: Opportunity) -> dict:
    return {"title": opportunity.title, "agency": opportunity.host_agency.name if opportunity.host_agency else "",
            "closes": canberra_date(opportunity.deadline),
            "link": external_url("opportunities.detail", opportunity_id=opportunity.id)}


def _browse_link(query: str) -> str:
    """The search page for these filters, newest first: "see them all"."""
    return f"{external_url('opportunities.browse')}?{query}{'&' if query else ''}sort=newest"


def _move_on_quiet(session: Session, search_ids: list[int], skill_checked: list, until: datetime) -> None:
    """Searches and skill alerts looked at and found nothing new up to `until`: start there next time, so a
    search that matches nothing is not asked again every run until something newer is approved."""
    if search_ids:
        session.execute(update(SavedSearch).where(SavedSearch.id.in_(search_ids)).values(new_since=until)
                        .execution_options(synchronize_session=False))
    session.execute(update(User).where(*skill_checked).values(skill_alerts_since=until)
                    .execution_options(synchronize_session=False))


def _move_on(session: Session, user_ids: list[int], search_ids: list[int], until: datetime) -> None:
    """What these people were just alerted about (approved up to `until`) is no longer new to them."""
    if search_ids:
        session.execute(update(SavedSearch).where(SavedSearch.id.in_(search_ids)).values(new_since=until)
                        .execution_options(synchronize_session=False))
    if user_ids:
        session.execute(update(User).where(User.id.in_(user_ids), User.skill_alerts_since.is_not(None))
                        .values(skill_alerts_since=until).execution_options(synchronize_session=False))

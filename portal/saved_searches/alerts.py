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

Cost of a run: one query for the newest approval, one for the alerting saved searches of the people due
(those whose last alert is older than the newest approval), then one query per such search (the search
page's own matching, limited to what was approved since the search's last alert), one for every skills
match of everyone opted in, one to load those opportunities and one for those people's skills; the
watermarks move on in two UPDATEs. When nothing has been published since, the run is two queries.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from portal.models import NotificationPreference, Opportunity, ReminderSent, SavedSearch, User
from portal.models.opportunities import opportunity_skills
from portal.models.users import user_skills
from portal.opportunities.search import Filters, approved_between, visible
from portal.outbox import queue_email
from portal.sweeps import claim, sweep, today_step
from portal.templating import canberra_date
from portal.urls import external_url
from workflows import clock

KIND = "new-opportunity-alert"
CATEGORY = "digests"
LISTED_PER_GROUP = 10
SKILLS_GROUP = "Matches your skills"


def _due(step: int) -> list:
    """People who may get an alert today: verified, enabled, not yet alerted today, not switched off."""
    alerted = select(ReminderSent.record_id).where(ReminderSent.kind == KIND, ReminderSent.step == step)
    off = select(NotificationPreference.user_id).where(NotificationPreference.category == CATEGORY,
                                                       NotificationPreference.mode == "off")
    return [User.verified_at.is_not(None), User.disabled_at.is_(None), User.id.not_in(alerted), User.id.not_in(off)]


@sweep("saved_search_alerts")
def send_new_opportunity_alerts(session: Session, dry_run: bool) -> list[str]:
    """Queue each due person's alert listing what is new for them, grouped by saved search then skills."""
    now, step = clock.utcnow(), today_step()
    newest = session.scalar(select(func.max(Opportunity.approved_at)).where(Opportunity.state == "open"))
    if newest is None:
        return []
    due = _due(step)
    people: dict[int, User] = {}
    groups: dict[int, list[tuple[str, str, list[Opportunity]]]] = defaultdict(list)
    searches = session.execute(select(SavedSearch, User).join(User, User.id == SavedSearch.user_id)
                               .where(SavedSearch.alert.is_(True), SavedSearch.new_since < newest, *due)
                               .order_by(User.id, func.lower(SavedSearch.name))).all()
    for saved, user in searches:
        found = approved_between(session, Filters.from_query_string(saved.query), user, saved.new_since, now)
        if found:
            people[user.id] = user
            groups[user.id].append((saved.name, _browse_link(saved.query), found))
    for user, found, skill_ids in _skill_matches(session, due, newest, now):
        people[user.id] = user
        groups[user.id].append((SKILLS_GROUP, _browse_link(Filters(skill=skill_ids).query_string()), found))
    lines, alerted = [], []
    for user_id, found in groups.items():
        user, listed = people[user_id], _listed_once(found)
        count = sum(len(group["opportunities"]) + group["more"] for group in listed)
        lines.append(f"alert of {count} new to {user.email}")
        if dry_run or not claim(session, KIND, user_id, step):
            continue
        queue_email(session, "new_opportunity_alert", user.email,
                    {"count": count, "groups": listed, "link": external_url("saved_searches.index")},
                    key=f"{KIND}:{user_id}:{step}", name=user.name, category=CATEGORY)
        alerted.append(user_id)
    _move_on(session, alerted, now)
    return lines


def _skill_matches(session: Session, due: list, newest: datetime,
                   until: datetime) -> list[tuple[User, list[Opportunity], tuple[int, ...]]]:
    """For everyone opted in: the opportunities they may see, approved since their last alert, that share a
    skill with their profile (one statement for everyone), with their skills for the "see them all" link."""
    shares_skill = exists().where(opportunity_skills.c.opportunity_id == Opportunity.id,
                                  opportunity_skills.c.skill_id == user_skills.c.skill_id,
                                  user_skills.c.user_id == User.id)
    pairs = session.execute(
        select(User.id, Opportunity.id)
        .where(User.skill_alerts_since.is_not(None), User.skill_alerts_since < newest, *due,
               Opportunity.approved_at > User.skill_alerts_since, Opportunity.approved_at <= until, shares_skill,
               *visible(User.agency_id, clock.canberra_today()))
        .order_by(User.id, Opportunity.approved_at.desc(), Opportunity.id.desc())).all()
    if not pairs:
        return []
    user_ids = {user_id for user_id, _ in pairs}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    loaded = {o.id: o for o in session.scalars(select(Opportunity).where(
        Opportunity.id.in_({opportunity_id for _, opportunity_id in pairs})))}
    skills: dict[int, list[int]] = defaultdict(list)
    for user_id, skill_id in session.execute(select(user_skills.c.user_id, user_skills.c.skill_id)
                                             .where(user_skills.c.user_id.in_(user_ids))):
        skills[user_id].append(skill_id)
    found: dict[int, list[Opportunity]] = defaultdict(list)
    for user_id, opportunity_id in pairs:
        found[user_id].append(loaded[opportunity_id])
    return [(users[user_id], opportunities, tuple(sorted(skills[user_id])))
            for user_id, opportunities in found.items()]


def _listed_once(groups: list[tuple[str, str, list[Opportunity]]]) -> list[dict]:
    """Each opportunity under the first group it matches (saved searches by name, then skills); groups left
    empty are dropped; at most LISTED_PER_GROUP listed in each, the rest counted."""
    seen: set[int] = set()
    listed = []
    for name, link, opportunities in groups:
        fresh = [o for o in opportunities if o.id not in seen]
        seen.update(o.id for o in fresh)
        if fresh:
            listed.append({"name": name, "link": link, "opportunities": [_item(o) for o in fresh[:LISTED_PER_GROUP]],
                           "more": max(0, len(fresh) - LISTED_PER_GROUP)})
    return listed


def _item(opportunity: Opportunity) -> dict:
    return {"title": opportunity.title, "agency": opportunity.host_agency.name if opportunity.host_agency else "",
            "closes": canberra_date(opportunity.deadline),
            "link": external_url("opportunities.detail", opportunity_id=opportunity.id)}


def _browse_link(query: str) -> str:
    """The search page for these filters, newest first: "see them all"."""
    return f"{external_url('opportunities.browse')}?{query}{'&' if query else ''}sort=newest"


def _move_on(session: Session, user_ids: list[int], now: datetime) -> None:
    """Everything approved up to `now` has been looked at for these people: only later ones are new."""
    if not user_ids:
        return
    session.execute(update(SavedSearch).where(SavedSearch.user_id.in_(user_ids), SavedSearch.alert.is_(True))
                    .values(new_since=now))
    session.execute(update(User).where(User.id.in_(user_ids), User.skill_alerts_since.is_not(None))
                    .values(skill_alerts_since=now))

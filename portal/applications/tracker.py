"""My applications, card by card (portal/cards.py): each application's card is rendered once for what it shows, so a
person who looks again (the page they come back to most) costs one statement and no rendering.

The key is a row of one statement: the application's state and messages, the opportunity's title and dates, the
owner's name, the new dates waiting for the home manager, whether a certificate was issued, the latest arrangement
and who still owes an acknowledgement, and, for the timeline, the number of the application's audit events and the
newest one's id. A card missing from the cache is rendered from `my_applications` (its own statements), so it is
kept only if the key read after rendering it is the one read before: a change committed in between cannot be kept
under the older key.

Everything `templates/applications/_card.html` shows must come from the key: add a value to the card, add it to
`_card_keys_statement`.
"""
from __future__ import annotations

from functools import cache

from markupsafe import Markup
from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session

from portal import cards
from portal.applications.queries import my_applications
from portal.models import Acknowledgement, Application, Arrangement, AuditEvent, Certificate, DateChange, Opportunity, User
from portal.models.applications import STATES


@cache
def _card_keys_statement():
    """Built once with a bound parameter: one row a card, in the tracker's order, holding everything the card shows.
    The timeline is keyed by its events' count and newest id, the latest arrangement by its id and by who still
    owes an acknowledgement (names included: anonymising rewrites them)."""
    # Their count and newest id move whenever an event is added or removed.
    events = (select(func.count().cast(String) + ":" + func.coalesce(func.max(AuditEvent.id).cast(String), ""))
              .where(AuditEvent.record_type == "application", AuditEvent.record_id == Application.id)
              .correlate(Application).scalar_subquery())
    # An arrangement's row never changes once issued: a new version is a new row.
    latest_arrangement = (select(Arrangement.id).where(Arrangement.application_id == Application.id)
                          .order_by(Arrangement.version.desc()).limit(1).correlate(Application).scalar_subquery())
    owed = (select(func.aggregate_strings(Acknowledgement.party + ":" + Acknowledgement.name, ";"))
            .where(Acknowledgement.arrangement_id == latest_arrangement, Acknowledgement.acknowledged_at.is_(None))
            .correlate(Application).scalar_subquery())
    pending = ((DateChange.application_id == Application.id) & (DateChange.state == "pending")
               & (Application.state == "confirmed"))
    return (select(Application.id, Application.state, Application.created_at, Application.home_manager_name,
                   Application.manager_comment, Application.manager_conditions, Application.owner_message,
                   Application.cv_path.is_not(None).label("has_cv"),
                   Opportunity.title, Opportunity.start_date, Opportunity.end_date, User.name.label("owner_name"),
                   *(column.label(f"change_{column.name}") for column in DateChange.__table__.c),
                   select(Certificate.id).where(Certificate.application_id == Application.id).exists()
                   .label("certified"),
                   events.label("events"),
                   latest_arrangement.label("arrangement_id"),
                   owed.label("owed"))
            .join(Opportunity, Opportunity.id == Application.opportunity_id)
            .join(User, User.id == Opportunity.owner_id)
            .outerjoin(DateChange, pending)
            .where(Application.applicant_id == bindparam("user_id"))
            .order_by(Application.created_at.desc(), Application.id.desc()))


def _keys(session: Session, user_id: int) -> list[tuple]:
    person_part = cards.key("application", user_id)
    return [(*person_part, *row) for row in session.execute(_card_keys_statement(), {"user_id": user_id})]


def tracker_cards(session: Session, user_id: int) -> list[Markup]:
    """The person's application cards, newest first: kept ones as they are, the others rendered (their rows loaded
    with `my_applications`) and kept if nothing they show changed meanwhile."""
    kept = cards.kept()
    keys = _keys(session, user_id)
    shown = [kept.get(key) for key in keys]
    if all(card is not None for card in shown):
        return shown
    rendered = {row.application.id: cards.render("applications/_card.html", row=row, application_state_labels=STATES)
                for row in my_applications(session, user_id)}
    unchanged = keys == _keys(session, user_id)
    for position, key in enumerate(keys):
        if shown[position] is None:
            shown[position] = rendered.get(key[3])  # the application's id, after kind, mount point and person
            if unchanged and shown[position] is not None:
                kept.put(key, shown[position])
    return [card for card in shown if card is not None]

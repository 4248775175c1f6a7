"""A person's saved searches: saved, renamed, alerted and removed by their owner only."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Agency, SavedSearch, Skill, User
from portal.models.searches import MAX_SAVED_SEARCHES
from portal.opportunities.search import CLEARED_LABEL, FACET_TITLES, LABELS, Filters
from workflows import Refused, clock

QUERY_MAX = SavedSearch.__table__.c.query.type.length


def owned(session: Session, user: User, saved_search_id: int) -> SavedSearch | None:
    """The saved search when it is this person's; None for anyone else's (the view answers 404)."""
    return session.scalar(select(SavedSearch).where(SavedSearch.id == saved_search_id,
                                                    SavedSearch.user_id == user.id))


def saved_by(session: Session, user: User) -> list[SavedSearch]:
    return list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                .order_by(func.lower(SavedSearch.name), SavedSearch.id)))


def saved_as(session: Session, user: User, filters: Filters) -> SavedSearch | None:
    """The person's saved search for exactly these filters, if they have one."""
    return session.scalar(select(SavedSearch).where(SavedSearch.user_id == user.id,
                                                    SavedSearch.query == filters.query_string()).limit(1))


def _check_name(session: Session, user: User, name: str, keep: SavedSearch | None = None) -> None:
    taken = select(SavedSearch.id).where(SavedSearch.user_id == user.id,
                                         func.lower(SavedSearch.name) == name.lower())
    if keep is not None:
        taken = taken.where(SavedSearch.id != keep.id)
    if session.scalar(taken.limit(1)) is not None:
        raise Refused("You already have a saved search with this name. Choose another name.", 422, "name")


def save(session: Session, user: User, name: str, filters: Filters, alert: bool) -> SavedSearch:
    """Keep the search under `name`; refused past the limit, for a duplicate name, or when nothing is chosen."""
    query = filters.query_string()
    if not (filters.q or filters.active):
        raise Refused("Search for something or choose a filter before saving the search.", 422, "name")
    if len(query) > QUERY_MAX:
        raise Refused("This search has too many filters to save. Remove some and try again.", 422, "name")
    session.scalar(select(User.id).where(User.id == user.id).with_for_update())  # one save at a time per person
    count = session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id))
    if count >= MAX_SAVED_SEARCHES:
        raise Refused(f"You can keep {MAX_SAVED_SEARCHES} saved searches at most. Delete one on your saved "
                      "searches page to save this one.", 422, "name")
    existing = saved_as(session, user, filters)
    if existing is not None:
        raise Refused(f"You have already saved this search as “{existing.name}”.", 422, "name")
    _check_name(session, user, name)
    saved = SavedSearch(user_id=user.id, name=name, query=query, alert=alert)
    session.add(saved)
    session.flush()
    return saved


def rename(session: Session, saved: SavedSearch, user: User, name: str) -> None:
    _check_name(session, user, name, keep=saved)
    saved.name = name


def set_alert(saved: SavedSearch, on: bool) -> None:
    """Switching the alert on starts it from now: what was approved before is not news."""
    if on and not saved.alert:
        saved.new_since = clock.utcnow()
    saved.alert = on


def descriptions(session: Session, searches: list[SavedSearch]) -> dict[int, str]:
    """What each search looks for, in words ("data" · Skills: Data analysis · Work mode: Remote); two queries."""
    parsed = {s.id: Filters.from_query_string(s.query) for s in searches}
    skill_ids = {i for f in parsed.values() for i in f.skill}
    agency_ids = {i for f in parsed.values() for i in f.agency}
    names = {"skill": dict(session.execute(select(Skill.id, Skill.name).where(Skill.id.in_(skill_ids))).all())
             if skill_ids else {},
             "agency": dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))).all())
             if agency_ids else {}}
    return {saved_id: _describe(filters, names) for saved_id, filters in parsed.items()}


def _describe(filters: Filters, names: dict[str, dict]) -> str:
    parts = [f"“{filters.q}”"] if filters.q else []
    for facet, title in FACET_TITLES.items():
        chosen = getattr(filters, facet)
        if facet == "closing":
            chosen = ("1",) if chosen else ()
        labels = names.get(facet) or LABELS.get(facet, {})
        words = [str(labels.get(value, value)) for value in chosen]
        if words:
            parts.append(f"{title}: {', '.join(words)}")
    if filters.cleared:
        parts.append(CLEARED_LABEL)
    return " · ".join(parts)

"""The one search over open opportunities: full text, facets with counts, sort and pages.

PostgreSQL matches `websearch_to_tsquery` against the generated `search_vector` (GIN index) and
ranks with ts_rank_cd; the embedded SQLite database uses its FTS5 table with bm25. Everything
else (filters, facets, sort) is the same SQL on both. The page costs a fixed number of statements
whatever the number of results: the page, the skills on it, and the total with all facet counts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import String, and_, cast, func, literal, select, union_all
from sqlalchemy.orm import Session, with_expression
from werkzeug.datastructures import MultiDict

from portal.forms import whole_number
from portal.models import Agency, Opportunity, Skill, User
from portal.models.opportunities import (AUSTRALIAN_STATES, CLEARANCES, COMMITMENT_BANDS, OPPORTUNITY_KINDS,
                                         SKILL_SEPARATOR, WORK_MODES, opportunity_skills)
from portal.models.users import clearances_met_by
from portal.opportunities import policy
from portal.opportunities.facet_cache import FacetCache, total_of
from portal.opportunities.text_match import TextMatch
from workflows import clock

PER_PAGE = 20
MAX_PAGE = 10_000
CLOSING_DAYS = 7
SORTS = {"relevance": "Relevance", "newest": "Newest", "closing": "Closing soonest"}


@dataclass(frozen=True)
class Filters:
    """What a person asked for, read from the URL so a search can be shared and bookmarked."""

    q: str = ""
    skill: tuple[int, ...] = ()
    kind: tuple[str, ...] = ()
    agency: tuple[int, ...] = ()
    mode: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    clearance: tuple[str, ...] = ()
    closing: bool = False
    cleared: bool = False  # only what the viewer's clearance meets ("cleared=1")
    met: tuple[str, ...] = ()  # what `cleared` resolved to for one person (for_person): never read from a URL
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> "Filters":
        """Unknown values are dropped rather than refused: a stale shared link still shows results."""
        def ints(name: str) -> tuple[int, ...]:
            return tuple(sorted({n for v in args.getlist(name) if (n := whole_number(v, 1)) is not None}))

        def known(name: str, allowed) -> tuple[str, ...]:
            return tuple(sorted({v for v in args.getlist(name) if v in allowed}))

        page = args.get("page")
        sort = args.get("sort", "relevance")
        return cls(q=(args.get("q") or "").strip()[:200], skill=ints("skill"), kind=known("kind", OPPORTUNITY_KINDS),
                   agency=ints("agency"), mode=known("mode", WORK_MODES), location=known("location", AUSTRALIAN_STATES),
                   band=known("band", COMMITMENT_BANDS), clearance=known("clearance", CLEARANCES),
                   closing=args.get("closing") == "1", cleared=args.get("cleared") == "1",
                   sort=sort if sort in SORTS else "relevance",
                   page=min(whole_number(page, 1) or 1, MAX_PAGE))

    def args(self, **changes) -> dict[str, Any]:
        """Query-string values for url_for, with some changed (page goes back to 1 unless given)."""
        values = replace(self, **{"page": 1, **changes})
        out: dict[str, Any] = {}
        for name in ("q", "skill", "kind", "agency", "mode", "location", "band", "clearance"):
            value = getattr(values, name)
            if value:
                out[name] = list(value) if isinstance(value, tuple) else value
        if values.closing:
            out["closing"] = "1"
        if values.cleared:
            out["cleared"] = "1"
        if values.sort != "relevance":
            out["sort"] = values.sort
        if values.page > 1:
            out["page"] = values.page
        return out

    def keyed_args(self, **changes) -> dict[str, Any]:
        """`args` plus the clearance levels resolved for the viewer: what a cached count or page depends on, so
        people whose clearances differ never share an entry (the levels are in the key, never the person)."""
        out = self.args(**changes)
        if self.cleared:
            out["met"] = list(self.clearances_met)
        return out

    def for_person(self, person: Any) -> "Filters":
        """These filters as `person` asks them: "what my clearance meets" becomes the levels their clearance meets
        (users.clearances_met_by), read from their profile now, so a saved search follows a new clearance."""
        held = getattr(person, "clearance", None) if getattr(person, "is_authenticated", False) else None
        return replace(self, met=clearances_met_by(held) if self.cleared else ())

    @property
    def clearances_met(self) -> tuple[str, ...]:
        """The levels `cleared` allows: those resolved by for_person, or, unresolved, only "none"."""
        return self.met or clearances_met_by(None)

    @classmethod
    def from_query_string(cls, query: str) -> "Filters":
        return cls.from_args(MultiDict(parse_qsl(query)))

    def query_string(self) -> str:
        """The canonical query string of what is searched for (no sort or page): what a saved search keeps."""
        return urlencode(self.args(sort="relevance"), doseq=True)

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in ("skill", "kind", "agency", "mode", "location", "band", "clearance",
                                              "closing", "cleared"))


@dataclass
class FacetValue:
    value: Any
    label: str
    count: int
    chosen: bool


@dataclass
class Results:
    filters: Filters
    opportunities: list[Opportunity]
    total: int
    facet_rows: Callable[[], list] = list  # (facet, value, label, count) rows, read only if the facets are shown
    facet_key: str = ""  # where the facet counts are cached ("" when not cached): see facet_cache
    per_page: int = PER_PAGE

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        return _facets(self.facet_rows(), self.filters)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


FACET_COLUMNS = {"kind": "kind", "agency": "host_agency_id", "mode": "work_mode", "location": "location_state",
                 "band": "commitment_band", "clearance": "clearance"}


def _conditions(filters: Filters, today: date, source: Any = Opportunity, skip: str | None = None) -> list:
    """The filters chosen, each facet OR-ed within itself, on `source` (the table or the matched set).

    `skip` leaves one facet's own filter out, so its other values can still be counted.
    """
    conditions = [getattr(source, column_).in_(getattr(filters, name)) for name, column_ in FACET_COLUMNS.items()
                  if name != skip and getattr(filters, name)]
    if filters.skill and skip != "skill":
        conditions.append(source.id.in_(select(opportunity_skills.c.opportunity_id)
                                        .where(opportunity_skills.c.skill_id.in_(filters.skill))))
    if filters.closing and skip != "closing":
        conditions.append(source.deadline <= today + timedelta(days=CLOSING_DAYS))
    if filters.cleared:
        conditions.append(source.clearance.in_(filters.clearances_met))
    return conditions


def _facet_counts(session: Session, filters: Filters, match: TextMatch, base: list, today: date) -> list:
    """The total and every facet's counts in one statement.

    What the text and visibility allow is materialised once (narrow columns, from the covering index when
    there is no text); each branch then counts that set with every filter but its own.
    """
    columns = [Opportunity.id, Opportunity.deadline, *(getattr(Opportunity, c) for c in FACET_COLUMNS.values())]
    matched = match.from_(select(*columns)).where(*base)
    if match.condition is not None:
        matched = matched.where(match.condition)
    m = matched.cte("matched").prefix_with("MATERIALIZED")

    def branch(name: str, value, label, join=None, group: bool = True):
        query = select(literal(name).label("facet"), cast(value, String).label("value"),
                       cast(label, String).label("label"), func.count().label("n")).select_from(m)
        if join is not None:
            query = join(query)
        query = query.where(*_conditions(filters, today, m.c, skip=name))
        return query.group_by(value, label) if group else query

    skill_join = (lambda q: q.join(opportunity_skills, opportunity_skills.c.opportunity_id == m.c.id)
                  .join(Skill, Skill.id == opportunity_skills.c.skill_id))
    agency_join = lambda q: q.join(Agency, Agency.id == m.c.host_agency_id)  # noqa: E731
    branches = [branch("skill", Skill.id, Skill.name, skill_join),
                branch("agency", Agency.id, Agency.name, agency_join)]
    for name in ("kind", "mode", "location", "band", "clearance"):
        column_ = getattr(m.c, FACET_COLUMNS[name])
        branches.append(branch(name, column_, column_).where(column_.is_not(None)))
    closing_window = and_(m.c.deadline.is_not(None), m.c.deadline <= today + timedelta(days=CLOSING_DAYS))
    branches.append(branch("closing", literal("1"), literal("1"), group=False).where(closing_window))
    branches.append(select(literal("total"), literal(""), literal(""), func.count()).select_from(m)
                    .where(*_conditions(filters, today, m.c)))
    return list(session.execute(union_all(*branches)))


LABELS = {"kind": OPPORTUNITY_KINDS, "mode": WORK_MODES, "band": COMMITMENT_BANDS, "clearance": CLEARANCES,
          "location": {s: s for s in AUSTRALIAN_STATES}, "closing": {"1": f"Closing within {CLOSING_DAYS} days"}}
FACET_TITLES = {"skill": "Skills", "kind": "Type", "agency": "Host agency", "mode": "Work mode", "location": "Location",
                "band": "Time commitment", "clearance": "Security clearance needed", "closing": "Closing date"}
CLEARED_LABEL = "Only what my clearance meets"
FACET_ORDER = ("skill", "kind", "agency", "mode", "location", "band", "clearance", "closing")


def _facets(rows: list, filters: Filters) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACET_ORDER}
    for facet, value, label, count in rows:
        if facet == "total" or not (count or facet != "closing" or filters.closing):
            continue
        typed = int(value) if facet in ("skill", "agency") else value
        chosen = filters.closing if facet == "closing" else typed in getattr(filters, facet)
        facets[facet].append(FacetValue(typed, LABELS.get(facet, {}).get(value, label), count, chosen))
    for name, values in facets.items():
        order = list(LABELS.get(name, {}))
        values.sort(key=lambda v: (-v.count, v.label) if name in ("skill", "agency") else order.index(v.value))
    return facets


def _cache_parts(filters: Filters) -> dict[str, Any]:
    """What the facet counts depend on: the words (case and spacing do not change a match) and the filters."""
    parts = filters.keyed_args(q=" ".join(filters.q.lower().split()))
    parts.pop("sort", None)
    return parts


def _exact_where_known(counted: int, page: int, shown: int, per_page: int = PER_PAGE) -> int:
    """A cached total can be behind the fresh page; a page that is not full tells the exact total, and a full
    one a lower bound, so the heading never contradicts the results listed under it."""
    before = (page - 1) * per_page
    if not shown and page > 1:  # past the end: nothing learnt
        return counted
    if shown < per_page:
        return before + shown
    return max(counted, before + shown)


def _matching(session: Session, filters: Filters, viewer: User, today: date) -> tuple[TextMatch, list, list]:
    """How the words match, what the viewer may see, and everything a result must satisfy."""
    match = TextMatch(session, filters.q)
    base = policy.listed(viewer.agency_id, today)
    conditions = base + _conditions(filters, today)
    if match.condition is not None:
        conditions.append(match.condition)
    return match, base, conditions


def _skill_names():
    """Each result's skill names in the statement that finds the page, rather than a second statement."""
    names = select(func.aggregate_strings(Skill.name, SKILL_SEPARATOR)).select_from(opportunity_skills) \
        .join(Skill, Skill.id == opportunity_skills.c.skill_id) \
        .where(opportunity_skills.c.opportunity_id == Opportunity.id).scalar_subquery()
    return func.coalesce(names, "")


def search(session: Session, filters: Filters, viewer: User, cache: FacetCache | None = None,
           per_page: int = PER_PAGE) -> Results:
    """One page of results, always fresh; the total and facet counts come from `cache` when it has them
    (up to its `seconds` old, see facet_cache) and are counted and stored otherwise."""
    today = clock.canberra_today()
    filters = filters.for_person(viewer)
    match, base, conditions = _matching(session, filters, viewer, today)
    newest = [Opportunity.approved_at.desc(), Opportunity.id.desc()]
    order = {"newest": newest,
             "closing": [Opportunity.deadline.asc(), Opportunity.id.asc()]}.get(filters.sort)
    if order is None:
        order = [match.rank.desc(), *newest] if filters.q else newest
    page = match.from_(select(Opportunity)).where(*conditions).order_by(*order) \
        .options(with_expression(Opportunity.joined_skill_names, _skill_names())) \
        .limit(per_page).offset((filters.page - 1) * per_page)
    opportunities = list(session.scalars(page))
    key = cache.key(_cache_parts(filters), viewer.agency_id, today) if cache is not None else ""
    cached = cache.get_lazily(key) if cache is not None else None
    if cached is None:
        rows = _facet_counts(session, filters, match, base, today)
        if cache is not None:
            cache.put(key, rows)
        counted, facet_rows = total_of(rows), (lambda: rows)
    else:
        counted, facet_rows = cached
    total = _exact_where_known(counted, filters.page, len(opportunities), per_page)
    return Results(filters, opportunities, total, facet_rows, key, per_page)

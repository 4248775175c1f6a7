"""The one search over open opportunities: full text, facets with counts, sort and pages.

PostgreSQL matches `websearch_to_tsquery` against the generated `search_vector` (GIN index) and
ranks with ts_rank_cd; the embedded SQLite database uses its FTS5 table with bm25. Everything
else (filters, facets, sort) is the same SQL on both. The page costs a fixed number of statements
whatever the number of results: the page, the skills on it, and the total with all facet counts.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import ARRAY, String, and_, cast, column, func, literal, literal_column, select, table, union_all
from sqlalchemy.orm import Session, selectinload, with_expression
from werkzeug.datastructures import MultiDict

from portal.forms import whole_number
from portal.models import Agency, Opportunity, Skill, User
from portal.models.opportunities import (AUSTRALIAN_STATES, CLEARANCES, COMMITMENT_BANDS, OPPORTUNITY_KINDS,
                                         SKILL_SEPARATOR, WORK_MODES, opportunity_skills)
from portal.models.users import clearances_met_by
from portal.opportunities import policy
from portal.opportunities.facet_cache import FacetCache, total_of
from workflows import clock

PER_PAGE = 20
MAX_PAGE = 10_000
CLOSING_DAYS = 7
SORTS = {"relevance": "Relevance", "newest": "Newest", "closing": "Closing soonest"}
_fts = table("opportunity_fts", column("rowid"), column("opportunity_fts"))
_TOKEN = re.compile(r'"([^"]*)"|(-?)([\w\']+)')


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


def fts5_query(text: str) -> str | None:
    """The person's words as an FTS5 expression with websearch meaning: "phrases", or, -excluded."""
    include: list[str] = []
    exclude: list[str] = []
    pending_or = False
    for phrase, minus, word in _TOKEN.findall(text):
        if word.lower() == "or" and not minus and not phrase:
            pending_or = bool(include)
            continue
        words = re.findall(r"\w+", phrase or word)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if minus and not phrase:
            exclude.append(term)
        elif pending_or:
            include[-1] = f"{include[-1]} OR {term}"
            pending_or = False
        else:
            include.append(term)
    if not include:
        return None
    expression = " AND ".join(f"({term})" for term in include)
    return expression + "".join(f" NOT {term}" for term in exclude)


class _TextMatch:
    """How a text query narrows and ranks the results on this database."""

    def __init__(self, session: Session, q: str) -> None:
        self.condition = None
        self.rank = literal(0.0)
        self.subquery = None
        if not q:
            return
        if session.get_bind().dialect.name == "postgresql":
            query = func.websearch_to_tsquery("english", q)
            vector = literal_column("opportunities.search_vector")
            self.condition = vector.op("@@")(query)
            self.rank = func.ts_rank_cd(vector, query)
            return
        expression = fts5_query(q)
        if expression is None:
            self.condition = literal(False)
            return
        fts_column = literal_column("opportunity_fts")
        self.subquery = (select(_fts.c.rowid.label("id"), (-func.bm25(fts_column)).label("rank"))
                         .select_from(_fts).where(fts_column.op("MATCH")(expression)).subquery("matches"))
        self.rank = self.subquery.c.rank

    def from_(self, query):
        if self.subquery is not None:
            return query.join(self.subquery, self.subquery.c.id == Opportunity.id)
        return query


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


def _facet_counts(session: Session, filters: Filters, match: _TextMatch, base: list, today: date) -> list:
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


def _matching(session: Session, filters: Filters, viewer: User, today: date) -> tuple[_TextMatch, list, list]:
    """How the words match, what the viewer may see, and everything a result must satisfy."""
    match = _TextMatch(session, filters.q)
    base = policy.listed(viewer.agency_id, today)
    conditions = base + _conditions(filters, today)
    if match.condition is not None:
        conditions.append(match.condition)
    return match, base, conditions


class NewOpportunities:
    """The open opportunities approved in a window, loaded once so that many saved searches can be matched
    against them without a statement each: the alert sweep's few new opportunities a day against tens of
    thousands of saved searches.

    Words are matched by the database as on the search page, for every distinct set of words in one
    statement (`words`); facets are then checked in Python by `admits`, which mirrors `_conditions`
    (tests/portal/opportunities/test_new_opportunities.py checks it against the search page on random data),
    and what is listed to whom by `policy.is_listed`."""

    def __init__(self, session: Session, since: datetime, until: datetime, words: set[str]) -> None:
        self.today = clock.canberra_today()
        self.opportunities = list(session.scalars(
            select(Opportunity).where(Opportunity.state == literal_column("'open'"), Opportunity.approved_at > since,
                                      Opportunity.approved_at <= until)
            .options(selectinload(Opportunity.skills))
            .order_by(Opportunity.approved_at.desc(), Opportunity.id.desc())))
        self.skills = {o.id: {skill.id for skill in o.skills} for o in self.opportunities}
        self.words = text_matches(session, {q for q in words if q}, [o.id for o in self.opportunities])

    def matching(self, filters: Filters, agency_id: int | None, since: datetime, limit: int = 50) -> list[Opportunity]:
        """What `filters` finds for a viewer of `agency_id` among those approved after `since`, newest first."""
        worded = self.words.get(filters.q, set()) if filters.q else None
        found = [o for o in self.opportunities
                 if o.approved_at > since and (worded is None or o.id in worded)
                 and policy.is_listed(o, agency_id, self.today) and admits(filters, o, self.skills[o.id], self.today)]
        return found[:limit]


def admits(filters: Filters, opportunity: Opportunity, skill_ids: set[int], today: date) -> bool:
    """`_conditions` for one loaded opportunity: every chosen facet admits it (values OR-ed within a facet)."""
    for name, column_ in FACET_COLUMNS.items():
        chosen = getattr(filters, name)
        if chosen and getattr(opportunity, column_) not in chosen:
            return False
    if filters.skill and not skill_ids.intersection(filters.skill):
        return False
    if filters.closing and (opportunity.deadline is None
                            or opportunity.deadline > today + timedelta(days=CLOSING_DAYS)):
        return False
    return not filters.cleared or opportunity.clearance in filters.clearances_met


def text_matches(session: Session, words: set[str], ids: list[int]) -> dict[str, set[int]]:
    """Which of the opportunities `ids` each set of words finds, as the search page matches words."""
    if not words or not ids:
        return {}
    found: dict[str, set[int]] = {q: set() for q in words}
    if session.get_bind().dialect.name == "postgresql":  # every set of words in one statement
        asked = func.unnest(literal(sorted(words), ARRAY(String))).table_valued("q").render_derived(name="asked")
        query = func.websearch_to_tsquery("english", asked.c.q)
        rows = session.execute(select(asked.c.q, Opportunity.id).join(asked, literal(True))
                               .where(Opportunity.id.in_(ids),
                                      literal_column("opportunities.search_vector").op("@@")(query)))
        for q, opportunity_id in rows:
            found[q].add(opportunity_id)
        return found
    for q in words:  # SQLite (the embedded default): one FTS5 statement per set of words
        match = _TextMatch(session, q)
        query = match.from_(select(Opportunity.id)).where(Opportunity.id.in_(ids))
        if match.condition is not None:
            query = query.where(match.condition)
        found[q] = set(session.scalars(query))
    return found


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

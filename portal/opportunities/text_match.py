"""How a person's words match opportunities, on either database: PostgreSQL's `websearch_to_tsquery` against the
generated `search_vector` (GIN index, ranked by ts_rank_cd), or the embedded SQLite database's FTS5 table (bm25),
where `fts5_query` gives the words the same websearch meaning. The search page and the alert sweep both ask here.
"""
from __future__ import annotations

import re

from sqlalchemy import ARRAY, String, column, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from portal.models import Opportunity

_fts = table("opportunity_fts", column("rowid"), column("opportunity_fts"))
_TOKEN = re.compile(r'"([^"]*)"|(-?)([\w\']+)')


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


class TextMatch:
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
        match = TextMatch(session, q)
        query = match.from_(select(Opportunity.id)).where(Opportunity.id.in_(ids))
        if match.condition is not None:
            query = query.where(match.condition)
        found[q] = set(session.scalars(query))
    return found

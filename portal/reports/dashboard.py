"""Turns the report queries into sections: a heading, a chart and the same numbers as a table."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.models.opportunities import OPPORTUNITY_KINDS
from portal.reports import charts, queries
from portal.reports.charts import Series
from portal.reports.scope import Scope


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]  # the first names the row headers
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    chart: Markup | None
    table: Table | None
    empty: str = ""
    note: str = ""
    parts: list["Section"] = field(default_factory=list)


def _count(value: int) -> str:
    return f"{value:,}"


def opportunities_section(session: Session, scope: Scope) -> Section:
    data = queries.opportunities_by_month(session, scope)
    labels = [month.strftime("%b %Y") for month in data.months]
    series = [Series(label, values) for label, values in data.counts.items()]
    if not any(sum(s.values) for s in series):
        return Section("opportunities", "Opportunities by state over time", None, None,
                       "No opportunities were created in these dates.")
    title = "Opportunities created each month, by the state they are in now"
    chart = charts.stacked_columns(
        "chart-opportunities", title,
        f"Stacked columns for {labels[0]} to {labels[-1]}; each column is split into "
        + ", ".join(s.label for s in series) + ". The table below gives every number.", labels, series)
    rows = [(label, [_count(s.values[i]) for s in series] + [_count(sum(s.values[i] for s in series))])
            for i, label in enumerate(labels)]
    table = Table(title, ["Month"] + [s.label for s in series] + ["Total"], rows)
    return Section("opportunities", "Opportunities by state over time", chart, table,
                   note="Closed without a match covers cancelled, expired and rejected opportunities.")


def funnel_section(session: Session, scope: Scope) -> Section:
    stages = queries.application_funnel(session, scope)
    heading = "Application funnel"
    if not stages[0][1]:
        return Section("funnel", heading, None, None, "Nobody applied in these dates.")
    title = "How far applications made in these dates got"
    applied = stages[0][1]
    chart = charts.funnel("chart-funnel", title,
                          "Funnel from " + " to ".join(label.lower() for label, _ in stages)
                          + f": {applied:,} applied, {stages[-1][1]:,} completed.", stages)
    rows = [(label, [_count(count), f"{count / applied:.0%}"]) for label, count in stages]
    return Section("funnel", heading, chart, Table(title, ["Stage", "Applications", "Share of applied"], rows),
                   note="A stage counts every application that ever reached it, even if it was later withdrawn.")


def participation_section(session: Session, scope: Scope) -> Section:
    parts = []
    for side, name in (("home", "home agency"), ("host", "host agency")):
        found = queries.participation_by_agency(session, scope, side)
        title = f"Confirmed participations by {name}, top {queries.TOP}"
        key = f"participation-{side}"
        if not found:
            parts.append(Section(key, title, None, None, "No confirmed participations in these dates."))
            continue
        chart = charts.bar_chart(f"chart-{key}", title,
                                 f"Horizontal bars, largest first: {found[0].name} has the most, {found[0].count:,}.",
                                 [(a.short_name, a.count) for a in found], "participations")
        table = Table(title, ["Agency", "Participations"], [(a.name, [_count(a.count)]) for a in found])
        parts.append(Section(key, title, chart, table))
    return Section("participation", "Participation by home and host agency", None, None, parts=parts,
                   note="Applications made in these dates whose home manager approved (confirmed or completed).")


def waits_section(session: Session, scope: Scope) -> Section:
    waits = queries.approval_waits(session, scope)
    heading = "Median days waiting for each approval"
    decided = [w for w in waits if w.median_days is not None]
    if not decided:
        return Section("waits", heading, None, None, "No approvals were decided in these dates.")
    title = "Median days from asking to decision, for decisions made in these dates"
    chart = charts.bar_chart("chart-waits", title,
                             "; ".join(f"{w.kind.label}: {w.median_days:.1f} days" for w in decided) + ".",
                             [(w.kind.label, round(w.median_days, 1)) for w in decided], "days")
    rows = [(w.kind.label, ["–" if w.median_days is None else f"{w.median_days:.1f}", _count(w.decisions)])
            for w in waits]
    return Section("waits", heading, chart, Table(title, ["Approval", "Median days", "Decisions"], rows),
                   note="Calendar days. Opportunity approval ends when it is approved, rejected or sent back for "
                        "changes; home manager approval ends when approved, declined or lapsed.")


def skills_section(session: Session, scope: Scope) -> Section:
    found = queries.skills_demand(session, scope)
    heading = "Skills most asked for and most offered"
    if not found:
        return Section("skills", heading, None, None, "No skills were asked for or offered.")
    title = f"Skills asked for by opportunities and offered by people, top {queries.TOP}"
    series = [Series("Asked for (opportunities)", [s.asked for s in found]),
              Series("Offered (people)", [s.offered for s in found])]
    chart = charts.grouped_bars("chart-skills", title,
                                f"Pairs of bars per skill, asked for then offered; {found[0].name} is first "
                                f"with {found[0].asked:,} asking and {found[0].offered:,} offering.",
                                [s.name for s in found], series)
    rows = [(s.name, [_count(s.asked), _count(s.offered)]) for s in found]
    return Section("skills", heading, chart, Table(title, ["Skill", "Opportunities asking", "People offering"], rows),
                   note="Asked for: opportunities created in these dates. Offered: people in the agencies now.")


def feedback_section(session: Session, scope: Scope) -> Section:
    rows = session.execute(queries.feedback_groups(scope)).all()
    heading = "Feedback by host agency and opportunity type"
    note = (f"Ratings out of 5 given in these dates: participants rate their host, hosts rate their participant. "
            f"A group with fewer than {queries.MIN_GROUP} ratings is not shown, so nobody can be picked out.")
    if not rows:
        return Section("feedback", heading, None, None,
                       f"No group of {queries.MIN_GROUP} or more ratings was given in these dates.", note=note)
    title = "Average rating by host agency, opportunity type and who gave it"
    labels = [f"{row.host_agency}, {OPPORTUNITY_KINDS[row.kind]}: {queries.FEEDBACK_FROM[row.author_role].lower()}"
              for row in rows]
    chart = charts.bar_chart("chart-feedback", title,
                             f"Horizontal bars, one per group; {labels[0]} averages {float(rows[0].average):.1f}.",
                             [(label, float(row.average)) for label, row in zip(labels, rows)], "out of 5")
    table = Table(title, ["Host agency and type", "Feedback from", "Ratings", "Average (out of 5)"],
                  [(f"{row.host_agency}, {OPPORTUNITY_KINDS[row.kind]}",
                    [queries.FEEDBACK_FROM[row.author_role], _count(row.given), f"{float(row.average):.1f}"])
                   for row in rows])
    return Section("feedback", heading, chart, table, note=note)


def sections(session: Session, scope: Scope) -> list[Section]:
    return [builder(session, scope) for builder in
            (opportunities_section, funnel_section, participation_section, waits_section, skills_section,
             feedback_section)]

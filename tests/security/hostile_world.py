"""A small world for the hostile-input tests: people in every part, records in every state a form needs, the
e-mailed links (read from the outbox, as a recipient would), and what the app rendered from it.

Every page is found from the app's url_map: each route's arguments are filled with the world's records of
that name, each e-mailed link is matched to its route, and each page is read as each person. A new route or
form is therefore covered without editing this file, as long as the world holds a record it can show.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import product
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from portal.api.tokens import create_token
from portal.applications import services as applications
from portal.participation import paperwork
from portal.accounts import services as accounts
from portal.forms import planned_dates
from portal.models import (Acknowledgement, Announcement, Application, Arrangement, Base, CorrectionRequest,
                           Feedback, IdentityProvider, Notification, Opportunity, OutboxMessage, ProviderDomain, SavedSearch,
                           User)
from portal.notices import unsubscribe_url
from portal.opportunities.records import approval_link
from portal import text
from tests.support import factories
from tests.support.forms import Form, forms_on
from tests.support.pdfs import pdf_with_text
from workflows import clock

SCRIPT = "<script>alert('xss')</script>"
CORPUS: dict[str, list] = {
    "text": ["Data work\r\nBcc: everyone@agency.gov.au", "Tab\tin it", "\u202egnp.exe", "bad\x00null",
             "zero\u200bwidth", "line\u2028separator\x85", SCRIPT, '"><img src=x onerror=alert(1)>',
             "'; DROP TABLE users; --", "=HYPERLINK(\"http://evil.example\")", "x" * 100_000],
    "number": ["abc", "-1", "1.5", "1e309", "99999999999999999999", str(2**31), "\u0663", "9" * 5000],
    "date": ["1900-01-01", "9999-12-31", "0001-01-01", "2026-02-30", "31/12/2026", "9" * 5000],
    "choice": ["", "abc", "-1", "99999999999999999999", "9" * 5000, SCRIPT],
    "hidden": ["abc", "-1", str(2**31), "9" * 5000, "javascript:alert(1)", "//evil.example/"],
    "file": ["hundred-million-objects", "not-a-pdf", "empty"],
}
# Pages people act on through forms we must not follow with junk: signing out ends the visit.
NOT_POSTED = ("/sign-out",)
# Columns the portal writes itself (never from a one-line box): what the scan for refused text skips.
WRITTEN_BY_THE_PORTAL = {("opportunities", "search_text"), ("outbox_messages", "last_error"),
                         ("saved_searches", "query"), ("users", "password_hash")}


def a_pdf() -> bytes:
    return pdf_with_text("Curriculum vitae")


def upload(payload: str) -> tuple[io.BytesIO, str]:
    """The file corpus: a PDF whose xref claims 100 million objects, something else named .pdf, nothing."""
    if payload == "hundred-million-objects":
        body = a_pdf()
        start = body.rindex(b"xref")
        content = body[:start] + b"xref\n0 100000000\n0000000000 65535 f \ntrailer\n<< /Size 100000000 >>\n" \
            + b"startxref\n" + str(start).encode() + b"\n%%EOF\n"
    else:
        content = b"MZ\x90\x00 not a pdf" if payload == "not-a-pdf" else b""
    return io.BytesIO(content), "cv.pdf"


@dataclass
class World:
    people: dict[str, User | None]
    ids: dict[str, list]
    links: list[str]
    bearer: dict[str, str]
    pages: list[tuple[str, str, Form]] = field(default_factory=list)


def build(session, settings) -> World:
    """Olive (a site admin) owns an opportunity in every state; Ari applied, took part and finished; Hana is
    a home manager and Max an approving manager, both with accounts."""
    olive = factories.user(session, name="Olive Owner", site_admin=True)
    hana = factories.user(session, name="Hana Manager")
    ari = factories.user(session, name="Ari Applicant", agency_abbreviation="ATO", supervisor=(hana.name, hana.email))
    max_ = factories.user(session, name="Max Approver")
    other = factories.user(session, name="Bea Bystander")
    draft = factories.opportunity(session, olive, title="A draft")
    pending = factories.opportunity(session, olive, state="approval", title="Awaiting approval",
                                    approving_manager_name=max_.name, approving_manager_email=max_.email)
    opening = factories.open_opportunity(session, olive, positions=3)
    matched = factories.ended(factories.open_opportunity(session, olive, state="matched", title="Finished work"))
    theirs = factories.open_opportunity(session, other, title="Someone else's opening")
    now = clock.utcnow()
    applied = _application(session, opening, ari, "applied")
    waiting = _application(session, opening, factories.user(session, supervisor=(hana.name, hana.email)),
                           "manager_approval", manager_requested_at=now)
    done = _application(session, matched, ari, "completed", completed_at=now - timedelta(days=15))
    under_way = factories.open_opportunity(session, olive, state="matched", title="Work under way")
    under_way.start_date, under_way.end_date = clock.canberra_today() - timedelta(days=1), \
        clock.canberra_today() + timedelta(days=30)
    finishing = _application(session, under_way, other, "confirmed")  # finishing early takes a reason
    # The host's feedback, shown to Ari 14 days on (the profile choice); Ari's own is still to give.
    session.add(Feedback(application_id=done.id, author_role="owner", author_id=olive.id, rating=5, comment="Thanks."))
    arrangement = Arrangement(application_id=done.id, reference="IA-HOSTILE-1", pdf=a_pdf(),
                              start_date=matched.start_date, end_date=matched.end_date)
    session.add(arrangement)
    session.flush()
    acks = [Acknowledgement(arrangement_id=arrangement.id, party=party, name=person.name, email=person.email)
            for party, person in (("participant", ari), ("home_manager", hana), ("host_manager", olive))]
    notice = Notification(user_id=ari.id, category="my_applications", title="Completed", link="/applications")
    announcement = Announcement(title="Scheduled maintenance", body="Saturday morning.", created_by_id=olive.id)
    search = SavedSearch(user_id=ari.id, name="Data", query="q=data")
    session.add_all([*acks, notice, announcement, search])
    token, _ = create_token(session, ari, "laptop")
    correction = CorrectionRequest(user=ari, agency_id=ari.agency_id, subject="email", details="Use my new address.")
    # An identity provider on loopback (nothing answers there), so saving its form never reaches beyond the machine.
    provider = IdentityProvider(name="Hostile sign-in", issuer="http://127.0.0.1:9", client_id="hostile",
                                client_secret_sealed="not used", enabled=False)
    session.add_all([correction, provider])
    session.flush()
    session.add(ProviderDomain(domain="hostile.gov.au", provider_id=provider.id, agency_id=factories.agency(session).id))
    session.flush()
    links = [approval_link(pending)]
    applications.ask_home_manager(session, waiting, step=1)  # a reminder carries the signed decision link
    paperwork.send_for_acknowledgement(session, done, arrangement, acks[0], step=0)
    accounts.send_password_reset(session, {"email": ari.email})  # what the queued job does: the e-mail with the link
    session.flush()
    for message in session.scalars(select(OutboxMessage)):
        links += [v for v in message.context.values() if isinstance(v, str) and v.startswith(settings.portal_base_url)]
        links.append(unsubscribe_url(session, message) or "")
    bearer = {"applicant": create_token(session, ari, "hostile")[1]}
    session.commit()
    return World(
        people={"anonymous": None, "applicant": ari, "home_manager": hana, "approver": max_, "site_admin": olive},
        ids={"opportunity_id": [draft.id, pending.id, opening.id, matched.id, theirs.id],
             "application_id": [applied.id, waiting.id, done.id, finishing.id], "arrangement_id": [arrangement.id],
             "notification_id": [notice.id], "announcement_id": [announcement.id], "token_id": [token.id],
             "user_id": [ari.id], "agency_id": [factories.agency(session).id],
             "skill_id": [factories.skills(session)[0].id], "saved_search_id": [search.id],
             "correction_id": [correction.id], "provider_id": [provider.id]},
        links=sorted({urlsplit(link).path for link in links if link}), bearer=bearer)


def _application(session, opportunity, applicant, state, **fields) -> Application:
    found = Application(opportunity=opportunity, applicant=applicant, state=state, statement="I would like to help.",
                        home_manager_name="Hana Manager", home_manager_email=applicant.supervisor_email,
                        decided_at=clock.utcnow() - timedelta(days=1) if state != "applied" else None, **fields)
    session.add(found)
    session.flush()
    return found


def page_urls(app: Flask, world: World) -> list[str]:
    """Every page a GET can show: each route with each fitting record, and each e-mailed link."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/static", "/api/", "/dev/")):
            continue
        if not rule.arguments <= set(world.ids):
            continue  # e-mailed links (tokens) come from the outbox; files and help pages hold no forms
        names = sorted(rule.arguments)
        for values in product(*(world.ids[name] for name in names)):
            urls.append(adapter.build(rule.endpoint, dict(zip(names, values))))
    for path in world.links:
        try:
            adapter.match(path, method="GET")
        except HTTPException:
            continue
        urls.append(path)
    return sorted(set(urls))


def refused_values_stored(session) -> list[str]:
    """Text the forms refuse, found anywhere in the database, and planned dates out of range."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not hasattr(column.type, "length") or (table.name, column.name) in WRITTEN_BY_THE_PORTAL:
                continue
            multi_line = column.type.length is None  # Text columns hold what text areas take
            for value in session.scalars(select(column).where(column.is_not(None))):
                if isinstance(value, str) and text.problem(value, multi_line=multi_line):
                    found.append(f"{table.name}.{column.name} = {value[:60]!r}")
    earliest, latest = planned_dates(clock.canberra_today())
    for row in session.execute(select(Opportunity.id, Opportunity.start_date, Opportunity.end_date,
                                      Opportunity.deadline)):
        found += [f"opportunity {row.id}: {day}" for day in row[1:] if day and not earliest <= day <= latest]
    return found

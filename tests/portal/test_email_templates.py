"""Every e-mail template is used, exists in both parts, and renders well with the data the code really sends.

The inventory reads the code with `ast` (queue_email calls, Effect(...) entries and the helpers that pass a
template name on), plus the built workflow machines for the effects their tables create. The rendering
tests run the code that queues each e-mail (services, sweeps, jobs and the transition recorder) against
real rows, then render every queued message through portal.mail.render with StrictUndefined.
"""
from __future__ import annotations

import ast
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from flask import current_app
from jinja2 import StrictUndefined
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import mail
from portal.accounts import services as accounts
from portal.admin.dormant import disable_dormant_accounts
from portal.applications import services as applications
from portal.participation import paperwork
from portal.participation.sweeps import remind_hosts_to_complete, remind_start
from portal.models import Acknowledgement, Application, Arrangement, Opportunity, OutboxMessage, SavedSearch
from portal.notifications.digest import send_daily_digests
from portal.opportunities import services as opportunities
from portal.opportunities import sweeps as opportunity_sweeps
from portal.privacy import corrections
from portal.privacy import export as privacy_export
from portal.saved_searches.alerts import send_new_opportunity_alerts
from portal.opportunities import records
from portal.transitions import SessionRecorder
from portal.urls import external_url
from tests.support import factories
from workflows import Actor, Effect, Machine, clock
from workflows.application import MACHINE as APPLICATION_MACHINE
from workflows.opportunity import MACHINE as OPPORTUNITY_MACHINE

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "email"
MACHINES: tuple[Machine, ...] = (OPPORTUNITY_MACHINE, APPLICATION_MACHINE)
SENDERS = {"queue_email": 1, "Email": 0, "Effect": 0}  # call name -> position of the template argument
# Generic dispatchers whose template argument is a variable by design: they send the Effects of the
# workflow tables, which the test reads from the built machines instead.
DISPATCHERS = {("portal/transitions.py", "effect.template"), ("workflows/opportunity.py", "t")}


# ---- inventory ---------------------------------------------------------------------------------------

def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _strings(node: ast.expr) -> set[str] | None:
    """The names a template expression can take: a literal, or a conditional between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


class _Module:
    """One parsed source file: its functions, and what each local name was assigned."""

    def __init__(self, path: Path) -> None:
        self.relative = path.relative_to(ROOT).as_posix()
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.functions = [node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionDef)]

    def enclosing(self, call: ast.Call) -> ast.FunctionDef | None:
        inner = [f for f in self.functions if f.lineno <= call.lineno <= (f.end_lineno or f.lineno)]
        return max(inner, key=lambda f: f.lineno, default=None)


def referenced_templates() -> tuple[set[str], list[str]]:
    """Template names the code can send, and the sender arguments it could not resolve."""
    modules = [_Module(p) for folder in ("portal", "workflows") for p in sorted((ROOT / folder).rglob("*.py"))]
    senders = dict(SENDERS)
    names: set[str] = set()
    unresolved: list[str] = []
    changed = True
    while changed:  # a helper that passes its parameter to a sender is a sender too (tell, _send, ...)
        changed = False
        names.clear()
        unresolved.clear()
        for module in modules:
            for call in (n for n in ast.walk(module.tree) if isinstance(n, ast.Call)):
                position = senders.get(_call_name(call) or "")
                if position is None:
                    continue
                node = _argument(call, position, "template")
                if node is None:
                    continue
                found = _strings(node)
                if found is not None:
                    names |= found
                    continue
                function = module.enclosing(call)
                if isinstance(node, ast.Name) and function is not None:
                    parameters = [a.arg for a in function.args.args]
                    if node.id in parameters:
                        if senders.get(function.name) != parameters.index(node.id):
                            senders[function.name] = parameters.index(node.id)
                            changed = True
                        continue
                    assigned = [_strings(a.value) for a in ast.walk(function) if isinstance(a, ast.Assign)
                                and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
                    if assigned and all(a is not None for a in assigned):
                        names |= set().union(*assigned)
                        continue
                if (module.relative, ast.unparse(node)) not in DISPATCHERS:
                    unresolved.append(f"{module.relative}:{call.lineno} {ast.unparse(call)[:80]}")
    for machine in MACHINES:
        names |= {effect.template for t in machine.transitions.values() for effect in t.effects
                  if isinstance(effect, Effect)}
    return names, unresolved


def template_files() -> tuple[set[str], set[str]]:
    def stems(suffix: str) -> set[str]:
        return {p.stem for p in TEMPLATES.glob(f"*.{suffix}")} - {"base"}
    return stems("txt"), stems("html")


def test_every_template_name_in_the_code_can_be_resolved():
    _, unresolved = referenced_templates()
    assert unresolved == []


def test_every_template_sent_by_the_code_has_a_text_and_an_html_file():
    names, _ = referenced_templates()
    text, html = template_files()
    assert {"missing .txt": sorted(names - text), "missing .html": sorted(names - html)} == \
        {"missing .txt": [], "missing .html": []}


def test_every_template_file_is_sent_by_some_code():
    names, _ = referenced_templates()
    text, html = template_files()
    assert sorted((text | html) - names) == []


# ---- realistic messages, queued by the code that sends them ------------------------------------------

def _people(session: Session):
    owner = factories.user(session, name="Alex Owner")
    applicant = factories.user(session, name="Sam Applicant", supervisor=("Jordan Home", "jordan.home@example.gov.au"))
    return owner, applicant


def _application(session: Session, state: str, **opportunity_fields) -> Application:
    owner, applicant = _people(session)
    opportunity = factories.open_opportunity(session, owner, **opportunity_fields)
    return factories.report_application(session, opportunity, applicant, state=state)


REASON = "The team's priorities changed this quarter."


def _transition_effects(template: str) -> Callable[[Session], None]:
    """Each table transition that sends `template` (with and without an optional reason), recorded through the
    same recorder as apply()."""
    def scenario(session: Session) -> None:
        for machine in MACHINES:
            for transition in machine.transitions.values():
                reasons = [REASON] if transition.reason_required else [None, REASON]
                for effect, reason in ((e, r) for e in transition.effects
                                       if isinstance(e, Effect) and e.template == template for r in reasons):
                    source = sorted(transition.sources)[0]
                    if machine is OPPORTUNITY_MACHINE:
                        owner, _ = _people(session)
                        record = factories.opportunity(session, owner, state=source)
                        factories.user(session, name="Ada Admin", admin_of=[record.host_agency])
                    else:
                        record = _application(session, source)
                    record.state = transition.target
                    actor = Actor(frozenset(sorted(transition.roles)[:1]), label="decider@example.gov.au")
                    kind = records.OPPORTUNITY_KIND if machine is OPPORTUNITY_MACHINE else applications.KIND
                    SessionRecorder(session, kind).effect(record, transition, effect, actor, reason, {})
    return scenario


def _applied(session: Session) -> None:
    owner, applicant = _people(session)
    opportunity = factories.open_opportunity(session, owner)
    applications.create(session, applicant, opportunity, statement="I have run user research for two years.",
                        relevant_skills=None, availability=None, home_manager_name="Jordan Home",
                        home_manager_email="jordan.home@example.gov.au")


def _completed(session: Session) -> None:
    application = _application(session, "confirmed")
    factories.ended(application.opportunity)
    applications.complete(session, application, applications.actor_for(application.opportunity.owner, application))


def _completion_reminder(session: Session) -> None:
    today = clock.canberra_today()
    _application(session, "confirmed", start_date=today - timedelta(days=60), end_date=today - timedelta(days=10),
                 deadline=today - timedelta(days=70))
    remind_hosts_to_complete(session, False)


def _starts(session: Session) -> None:
    today = clock.canberra_today()
    _application(session, "confirmed", start_date=today + timedelta(days=1), end_date=today + timedelta(days=60),
                 deadline=today - timedelta(days=5))
    remind_start(session, False)


def _home_manager(step: int) -> Callable[[Session], None]:
    def scenario(session: Session) -> None:
        applications.ask_home_manager(session, _application(session, "manager_approval"), step=step)
    return scenario


def _arrangement(session: Session) -> None:
    application = _application(session, "confirmed")
    paperwork.render_arrangement(session, {"application_id": application.id})
    arrangement = session.scalar(select(Arrangement).where(Arrangement.application_id == application.id))
    ack = session.scalar(select(Acknowledgement).where(Acknowledgement.arrangement_id == arrangement.id,
                                                      Acknowledgement.party == "participant"))
    paperwork.send_for_acknowledgement(session, application, arrangement, ack, step=1)


def _certificate(session: Session) -> None:
    application = _application(session, "completed")
    paperwork.render_certificate(session, {"application_id": application.id})


def _verify(session: Session) -> None:
    accounts.send_verification(session, factories.user(session, name="Riley Newcomer", verified=False))


def _move(session: Session) -> None:
    from portal.accounts.membership import request_move

    request_move(session, factories.user(session, name="Riley Mover", email="riley@dta.gov.au"), "riley@ato.gov.au", None)


def _reset(session: Session) -> None:
    accounts.send_password_reset(session, {"email": factories.user(session, name="Riley Forgetful").email})


def _account_exists(session: Session) -> None:
    known = factories.user(session, name="Riley Returning", email="riley.returning@ato.gov.au")
    accounts.register(session, name="Riley Returning", email=known.email, password="a long enough password",
                      agency_id=None, is_contractor=False)


def _dormant(session: Session) -> None:
    person = factories.user(session, name="Casey Quiet")
    person.last_login_at = clock.utcnow() - timedelta(days=3 * 365 - 10)
    disable_dormant_accounts(session, False)


def _coowner(session: Session) -> Opportunity:
    owner, _ = _people(session)
    opportunity = factories.open_opportunity(session, owner)
    helper = factories.user(session, name="Robin Coowner")
    opportunities.add_coowner(session, opportunity, Actor(frozenset({"owner"}), owner.id, owner.email), owner,
                              helper.email)
    return opportunity


def _digest(session: Session) -> None:
    _coowner(session)
    held = session.scalars(select(OutboxMessage).where(OutboxMessage.template == "opportunity_coowner_added")).all()
    for message in held:
        message.status = "held"
    send_daily_digests(session, False)


def _new_opportunity_alert(session: Session) -> None:
    owner, reader = _people(session)
    yesterday = clock.utcnow() - timedelta(days=1)
    reader.skills = factories.skills(session)[:1]
    reader.skill_alerts_since = yesterday
    session.add(SavedSearch(user_id=reader.id, name="Dashboards", query="q=dashboard", alert=True, new_since=yesterday))
    published = [factories.open_opportunity(session, owner),
                 factories.open_opportunity(session, owner, title="Data analyst for a survey team",
                                            what_you_do="Run the survey and report.", skills=reader.skills)]
    for opportunity in published:
        opportunity.approved_at = clock.utcnow() - timedelta(hours=1)
    send_new_opportunity_alerts(session, False)


def _waiting_for_approval(days_ago: int, escalate: bool = False) -> Callable[[Session], None]:
    def scenario(session: Session) -> None:
        owner, _ = _people(session)
        opportunity = factories.opportunity(session, owner, state="approval")
        opportunity.submitted_at = clock.utcnow() - timedelta(days=days_ago)
        factories.user(session, name="Ada Admin", admin_of=[opportunity.host_agency])
        sweep = opportunity_sweeps.approval_escalation if escalate else opportunity_sweeps.approval_reminders
        sweep(session, False)
    return scenario


def _deadline(days_from_today: int, sweep) -> Callable[[Session], None]:
    def scenario(session: Session) -> None:
        owner, _ = _people(session)
        factories.open_opportunity(session, owner, deadline=clock.canberra_today() + timedelta(days=days_from_today))
        sweep(session, False)
    return scenario


def _data_export(session: Session) -> None:
    person = factories.user(session, name="Sam Curious")
    export = privacy_export.request_export(session, person)
    privacy_export.build(session, {"export_id": export.id})


def _correction(decision: str | None) -> Callable[[Session], None]:
    def scenario(session: Session) -> None:
        person = factories.user(session, name="Jo Corrected")
        admin = factories.user(session, name="Ada Admin", admin_of=[person.agency])
        request = corrections.ask(session, person, "email", "My address is now jo.corrected@example.gov.au.")
        if decision is not None:
            corrections.decide(session, request, admin, decision == "accept", "Updated your address.")
    return scenario


SCENARIOS: dict[str, Callable[[Session], None]] = {
    "data_export_ready": _data_export,
    "correction_requested": _correction(None),
    "correction_decided": _correction("accept"),
    "account_dormant": _dormant,
    "verify_email": _verify,
    "reset_password": _reset,
    "account_exists": _account_exists,
    "confirm_new_address": _move,
    "application_received": _applied,
    "application_new": _applied,
    "application_completed": _completed,
    "completion_reminder": _completion_reminder,
    "participation_starts": _starts,
    "home_manager_reminder": _home_manager(1),
    "arrangement": _arrangement,
    "certificate": _certificate,
    "daily_digest": _digest,
    "new_opportunity_alert": _new_opportunity_alert,
    "opportunity_coowner_added": _coowner,
    "opportunity_approval_reminder": _waiting_for_approval(10),
    "opportunity_approval_escalated": _waiting_for_approval(20, escalate=True),
    "opportunity_closing_soon": _deadline(1, opportunity_sweeps.closing_soon),
    "opportunity_deadline_passed": _deadline(-1, opportunity_sweeps.deadline_passed),
}


def _scenario(template: str) -> Callable[[Session], None]:
    if template in SCENARIOS:
        return SCENARIOS[template]
    assert any(isinstance(e, Effect) and e.template == template
               for m in MACHINES for t in m.transitions.values() for e in t.effects), \
        f"no scenario queues {template}: add one to SCENARIOS"
    return _transition_effects(template)


@pytest.fixture
def strict_templates(app, monkeypatch):
    """A missing variable fails the render instead of printing nothing."""
    monkeypatch.setattr(current_app, "jinja_env", current_app.jinja_env.overlay(undefined=StrictUndefined))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _layout_problems(text: str) -> list[str]:
    """Plain text has no markup, so links and paragraphs must stand apart to be read (and clicked)."""
    problems = [f"text: link not on a line of its own or after a label: {line.strip()!r}"
                for line in text.splitlines() if re.search(r"https?://", line)
                and not re.fullmatch(r"(.*:\s)?https?://\S+", line.strip())]
    if "\n\n---\n" not in text:
        problems.append("text: the footer is not set apart by a blank line")
    body = text.split("\n---\n")[0].splitlines()
    return problems + [f"text: paragraphs run together at {second.strip()!r}" for first, second in zip(body, body[1:])
                       if first.rstrip().endswith((".", "?", "!")) and second.strip()
                       and not second.startswith(("  ", "- "))]


def _problems(message: OutboxMessage, base_url: str) -> list[str]:
    email = mail.render(message, "oneAPS Opportunities <noreply@example.gov.au>")
    text_part, html_part = email.get_body(("plain",)), email.get_body(("html",))
    if text_part is None or html_part is None:
        return ["a plain-text or HTML part is missing"]
    text, html = text_part.get_content(), html_part.get_content()
    subject = email["Subject"]
    parser = _Links()
    parser.feed(html)
    settings_url = external_url("notifications.settings")
    problems = _layout_problems(text)
    if not subject.strip() or "None" in subject or "{" in subject:
        problems.append(f"subject {subject!r}")
    for label, body, links in (("text", text, re.findall(r"https?://[^\s<>\"')]+", text)),
                               ("html", html, parser.hrefs + re.findall(r"https?://[^\s<>\"')]+", html))):
        if not message.recipient_name or message.recipient_name not in body:
            problems.append(f"{label}: recipient name {message.recipient_name!r} missing")
        if re.search(r"\bNone\b|\{\{|\{%", body):
            problems.append(f"{label}: 'None' or template syntax shown")
        outside = [link for link in links if not link.startswith(base_url + "/")]
        if outside:
            problems.append(f"{label}: links not on {base_url}: {outside}")
        if not any(link.startswith(settings_url) for link in links):
            problems.append(f"{label}: no link to the e-mail settings")
        if not [link for link in links if link not in (settings_url, base_url + "/help/")]:
            problems.append(f"{label}: no link for what to do next")
    return problems


@pytest.mark.parametrize("template", sorted(template_files()[0] | template_files()[1]))
def test_template_renders_with_realistic_data(template, session, settings, strict_templates):
    _scenario(template)(session)
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                               .order_by(OutboxMessage.id)).all()
    assert messages, f"the scenario queued no {template} e-mail"
    problems = {f"{m.recipient_name} <{m.recipient}>": _problems(m, settings.portal_base_url) for m in messages}
    assert {who: found for who, found in problems.items() if found} == {}

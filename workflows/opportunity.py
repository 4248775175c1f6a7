"""The opportunity lifecycle: draft → approval → open → matched → completed, with its side exits.

The table below is the whole of the rules: who may make each move, from which states, and what
it tells whom. Guards read only the record (and the data the caller passes), never the database.
"""
from __future__ import annotations

from typing import Any

from workflows import clock
from workflows.machine import Actor, Effect, Machine, Transition

OWNER = "owner"
APPROVING_MANAGER = "approving_manager"
AGENCY_ADMIN = "agency_admin"
SITE_ADMIN = "site_admin"
SYSTEM = "system"
ROLES = frozenset({OWNER, APPROVING_MANAGER, AGENCY_ADMIN, SITE_ADMIN, SYSTEM})

STATES = ("draft", "approval", "open", "matched", "completed", "cancelled", "expired", "rejected")
TERMINAL = ("completed", "cancelled", "expired", "rejected")
DECIDERS = frozenset({APPROVING_MANAGER, AGENCY_ADMIN, SITE_ADMIN})

MAX_SKILLS = 5
MAX_POSITIONS = 20


# What an opportunity needs before it can go to its approving manager; every other field of the form is optional.
NEEDED_TO_SUBMIT = (
    ("title", "a title"), ("summary", "a summary"), ("what_you_do", "what the participant will do"),
    ("host_agency_id", "the host agency"), ("commitment_amount", "the time commitment"),
    ("start_date", "a start date"), ("end_date", "an end date"), ("deadline", "an application deadline"),
    ("approving_manager_email", "the approving manager's e-mail address"),
    ("approving_manager_name", "the approving manager's name"),
)
MANAGER_FIELDS = ("approving_manager_name", "approving_manager_email")


def missing_for_submit(record: Any, manager: tuple[str | None, str | None] = (None, None)) -> list[str]:
    """What still has to be filled in before the opportunity can go to its approving manager. `manager` is the
    (name, e-mail) the submit page will offer when the record names nobody (the owner's supervisor, or what the
    form holds), so the approving manager is reported missing only when neither has them."""
    offered = dict(zip(MANAGER_FIELDS, manager))
    missing = [label for attribute, label in NEEDED_TO_SUBMIT
               if not (getattr(record, attribute, None) or offered.get(attribute))]
    if not 1 <= len(getattr(record, "skills", []) or []) <= MAX_SKILLS:
        missing.append(f"between 1 and {MAX_SKILLS} skills")
    if getattr(record, "work_mode", "remote") != "remote" and not getattr(record, "location_state", None):
        missing.append("the location (state or territory)")
    if not 1 <= (getattr(record, "positions", 0) or 0) <= MAX_POSITIONS:
        missing.append(f"a number of positions from 1 to {MAX_POSITIONS}")
    start, end, deadline = record.start_date, record.end_date, record.deadline
    if start and end and end < start:
        missing.append("an end date on or after the start date")
    if deadline and start and deadline > start:
        missing.append("an application deadline on or before the start date")
    if deadline and deadline < clock.canberra_today():
        missing.append("an application deadline that has not passed")
    return missing


def _complete(record: Any, actor: Actor, data: dict) -> str | None:
    missing = missing_for_submit(record)
    if missing:
        return "Before you submit, add " + "; ".join(missing) + "."
    return None


def _positions_filled_or_closed(record: Any, actor: Actor, data: dict) -> str | None:
    """The system matches when every position is filled; an owner may close selection with one confirmed."""
    if SYSTEM in actor.roles:
        return None
    if int(data.get("confirmed_participants", 0)) < 1:
        return "Selection can only be closed once at least one participant is confirmed."
    return None


def _t(name: str, sources: tuple[str, ...], target: str, roles: frozenset[str] | set[str], label: str, *,
       guard=None, effects: tuple[tuple[str, str], ...] = (), reason: bool = False) -> Transition:
    return Transition(name=name, sources=frozenset(sources), target=target, roles=frozenset(roles), label=label,
                      guard=guard, effects=tuple(Effect(t, to) for t, to in effects), reason_required=reason)


TRANSITIONS = (
    _t("submit", ("draft",), "approval", {OWNER}, "Submit for approval", guard=_complete,
       effects=(("opportunity_approval_request", "approving_manager"), ("opportunity_submitted", "owner"))),
    _t("approve", ("approval",), "open", DECIDERS, "Approve and publish",
       effects=(("opportunity_approved", "owner"),)),
    _t("request_changes", ("approval",), "draft", DECIDERS, "Ask for changes", reason=True,
       effects=(("opportunity_changes_requested", "owner"),)),
    _t("reject", ("approval",), "rejected", DECIDERS, "Reject", reason=True,
       effects=(("opportunity_rejected", "owner"),)),
    _t("toggle_applications", ("open",), "open", {OWNER}, "Open or pause applications"),
    _t("resubmit_after_edit", ("open",), "approval", {OWNER}, "Send the changes for approval", guard=_complete,
       effects=(("opportunity_approval_request", "approving_manager"), ("opportunity_submitted", "owner"))),
    _t("match", ("open",), "matched", {OWNER, SYSTEM}, "Close selection", guard=_positions_filled_or_closed,
       effects=(("opportunity_matched", "owner"),)),
    _t("expire", ("open",), "expired", {SYSTEM}, "Expire", effects=(("opportunity_expired", "owner"),)),
    _t("complete", ("matched",), "completed", {OWNER, SITE_ADMIN}, "Mark as completed",
       effects=(("opportunity_completed", "owner"),)),
    _t("cancel", ("draft", "approval", "open", "matched"), "cancelled", {OWNER, AGENCY_ADMIN, SITE_ADMIN},
       "Cancel", reason=True,
       effects=(("opportunity_cancelled", "owner"),)),  # applicants are told by their own cancel
)

MACHINE = Machine.build("opportunity", STATES, TERMINAL, TRANSITIONS)

"""The application machine: one employee on one opportunity, from applied to completed.

Roles are held per record: the applicant, the host (owner or co-owner of the opportunity), the
home manager named on the application, agency and site admins, and the system (sweeps).
"""
from __future__ import annotations

from datetime import date

from workflows import clock, time_share
from workflows.machine import Actor, Effect, Job, Machine, Transition, TransitionRefused

LIVE = ("applied", "shortlisted", "selected", "manager_approval", "confirmed")
AWAITING_DECISION = ("applied", "shortlisted")  # applicants the host has still to select or turn down
# A completed participation keeps its place: the position it filled does not open again.
HOLDS_A_POSITION = ("selected", "manager_approval", "confirmed", "completed")
TERMINAL = ("completed", "withdrawn", "not_selected", "manager_declined", "lapsed", "cancelled")
STATES = LIVE + TERMINAL
ADMINS = frozenset({"agency_admin", "site_admin"})


def _position_open(record, actor: Actor, data: dict) -> str | None:
    """The caller counts the positions open (portal.opportunities.places); selecting past them is refused."""
    if data.get("positions_open", 0) < 1:
        return "Every position on this opportunity is already taken."
    return None


def completion_step(start_date: date | None, end_date: date | None, today: date | None = None) -> str:
    """Honest dates, in Canberra: "not_started" (nothing is complete before it starts), "early" (before the end
    date the host confirms an early finish with a reason) or "due". Pages ask this to offer the right button."""
    today = today or clock.canberra_today()
    if start_date is not None and today < start_date:
        return "not_started"
    if end_date is not None and today < end_date:
        return "early"
    return "due"


def _work_has_started(record, actor: Actor, data: dict) -> str | None:
    opportunity = record.opportunity
    step = completion_step(opportunity.start_date, opportunity.end_date)
    if step == "not_started":
        return (f"This participation starts on {opportunity.start_date.strftime('%-d %B %Y')}: "
                "it cannot be marked complete before it has started.")
    if step == "early" and not (data.get("early_finish_reason") or "").strip():
        raise TransitionRefused(f"This participation is due to end on {opportunity.end_date.strftime('%-d %B %Y')}. "
                                "To mark it complete now, say why it is finishing early.", 422,
                                field="early_finish_reason")
    return None


AGREE_TO_TOTAL = "agree_total"  # the decision form's tick box


def _total_agreed(record, actor: Actor, data: dict) -> str | None:
    """The caller adds up the participant's shares of the week (portal.applications.load); above 20 % in all the
    approver must have agreed to the total (time_share), or the approval is refused beside the tick box."""
    total = float(data.get("total_share", 0.0))
    if time_share.needs_agreement_to_total([total]) and not data.get("total_agreed"):
        raise TransitionRefused(
            f"Together with their other participations this takes {time_share.as_percent(total)} of their week, "
            f"more than {time_share.as_percent(time_share.TOTAL_SHARE_NEEDING_AGREEMENT)}. Tick the box to agree to "
            "the total, or decline.", 422, field=AGREE_TO_TOTAL)
    return None


MACHINE = Machine.build("application", STATES, TERMINAL, [
    Transition("shortlist", frozenset({"applied"}), "shortlisted", frozenset({"host"}) | ADMINS,
               label="Shortlist"),
    Transition("select", frozenset({"applied", "shortlisted"}), "selected", frozenset({"host"}) | ADMINS,
               label="Select", guard=_position_open),
    Transition("request_manager_approval", frozenset({"selected"}), "manager_approval",
               frozenset({"host", "system"}) | ADMINS, label="Ask the home manager",
               effects=(Effect("application_selected", "applicant"), Effect("home_manager_request", "home_manager"))),
    Transition("approve", frozenset({"manager_approval"}), "confirmed", frozenset({"home_manager"}) | ADMINS,
               label="Approve", guard=_total_agreed, effects=(Effect("application_confirmed", "applicant"),
                                         Effect("application_confirmed", "host"), Job("render-arrangement"))),
    Transition("decline", frozenset({"manager_approval"}), "manager_declined",
               frozenset({"home_manager"}) | ADMINS, label="Decline",
               effects=(Effect("application_declined", "applicant"), Effect("application_declined", "host"))),
    Transition("lapse", frozenset({"manager_approval"}), "lapsed", frozenset({"system"}), label="Lapse",
               effects=(Effect("application_lapsed", "applicant"), Effect("application_lapsed", "host"))),
    Transition("not_select", frozenset({"applied", "shortlisted", "selected"}), "not_selected",
               frozenset({"host"}) | ADMINS, label="Not selected",
               effects=(Effect("application_not_selected", "applicant"),)),
    Transition("withdraw", frozenset(LIVE), "withdrawn", frozenset({"applicant"}), label="Withdraw",
               effects=(Effect("application_withdrawn", "host"),)),
    Transition("cancel", frozenset(LIVE), "cancelled", frozenset({"system"}),  # only as the opportunity is cancelled
               label="Cancel", effects=(Effect("application_cancelled", "applicant"),)),
    Transition("complete", frozenset({"confirmed"}), "completed", frozenset({"host", "site_admin"}),
               label="Mark complete", guard=_work_has_started, effects=(Effect("application_completed", "applicant"),
                                               Effect("feedback_request", "host"), Job("render-certificate"))),
])

NEXT_STEP = {
    "applied": ("The host team reads your application.", "host"),
    "shortlisted": ("The host team decides whom to select.", "host"),
    "selected": ("The host team asks your home manager to approve.", "host"),
    "manager_approval": ("Your home manager approves or declines your participation.", "home_manager"),
    "confirmed": ("Everyone acknowledges the arrangement; the work goes ahead and the host marks it complete.",
                  "host"),
}


def next_step(state: str) -> tuple[str, str | None]:
    """What happens next and which party it waits on (None once the application is closed)."""
    return NEXT_STEP.get(state, ("Nothing: this application is closed.", None))

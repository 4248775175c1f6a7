"""The date-change machine: after confirmation, new dates or a new commitment go back to the home manager.

A change is proposed when the host edits a confirmed participation's dates or commitment. The home manager agrees
(only then is the new version of the arrangement issued) or declines (the participation keeps the dates and
commitment of the arrangement already issued, and the host is asked to talk to the other two). A newer edit, or the
participation closing, withdraws a change nobody answered.
"""
from __future__ import annotations

from workflows.machine import Effect, Job, Machine, Transition

ADMINS = frozenset({"agency_admin", "site_admin"})
DECIDERS = frozenset({"home_manager"}) | ADMINS


def _participation_going_ahead(record, actor, data: dict) -> str | None:
    """The caller passes the participation's state: a change to one that ended or was withdrawn needs no answer."""
    if data.get("participation") != "confirmed":
        return "This participation is no longer going ahead, so its dates need no answer."
    return None


MACHINE = Machine.build("date_change", ("pending", "agreed", "declined", "withdrawn"),
                        ("agreed", "declined", "withdrawn"), [
    Transition("agree", frozenset({"pending"}), "agreed", DECIDERS, label="Agree to the new dates",
               guard=_participation_going_ahead,
               effects=(Effect("date_change_agreed", "applicant"), Effect("date_change_agreed", "host"),
                        Job("issue-agreed-arrangement"))),
    Transition("decline", frozenset({"pending"}), "declined", DECIDERS, label="Keep the agreed dates",
               guard=_participation_going_ahead,
               effects=(Effect("date_change_declined", "applicant"), Effect("date_change_declined", "host"))),
    Transition("withdraw", frozenset({"pending"}), "withdrawn", frozenset({"system"}), label="Withdraw"),
])

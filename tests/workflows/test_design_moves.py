"""The transition tables against the product design (DESIGN.md section 3), not against themselves.

The expected states and moves below are copied from the design by hand. A move in a table that the design
does not name, or a move the design names that no table makes, fails here; so does a role the design does
not give. Moves added since the design by an issue are listed apart, with where they come from.
"""
from __future__ import annotations

import pytest

from workflows import application, opportunity

SITE_ADMIN = "site_admin"  # "site admin: everything" (DESIGN.md section 2)

# --- Opportunity: draft → approval → open → matched → completed, with side exits -----------------------
OPPORTUNITY_STATES = {"draft", "approval", "open", "matched", "completed", "rejected", "expired", "cancelled"}
OPPORTUNITY_TERMINAL = {"completed", "rejected", "expired", "cancelled"}
OPPORTUNITY_MOVES = {  # (from, to): who the design says makes it
    ("draft", "approval"): {"owner"},                               # submit
    ("approval", "open"): {"approving_manager", "agency_admin"},    # approve
    ("approval", "draft"): {"approving_manager", "agency_admin"},   # changes requested
    ("approval", "rejected"): {"approving_manager", "agency_admin"},
    ("open", "matched"): {"owner", "system"},                       # filled, or the owner closes selection
    ("open", "expired"): {"system"},                                # deadline and grace passed
    ("matched", "completed"): {"owner"},
    ("draft", "cancelled"): {"owner", "agency_admin"},
    ("approval", "cancelled"): {"owner", "agency_admin"},
    ("open", "cancelled"): {"owner", "agency_admin"},
    ("matched", "cancelled"): {"owner", "agency_admin"},
}
OPPORTUNITY_ADDED = {
    ("open", "open"): {"owner"},        # pause or reopen applications (issue: owners pause applications)
    ("open", "approval"): {"owner"},    # editing an open opportunity sends the changes for approval
}

# --- Application: applied → shortlisted → selected → manager_approval → confirmed → completed ------------
LIVE = ("applied", "shortlisted", "selected", "manager_approval", "confirmed")
APPLICATION_STATES = set(LIVE) | {"completed", "withdrawn", "not_selected", "manager_declined", "lapsed",
                                  "cancelled"}
APPLICATION_TERMINAL = APPLICATION_STATES - set(LIVE)
APPLICATION_MOVES = {
    ("applied", "shortlisted"): {"host"},
    ("shortlisted", "selected"): {"host"},
    ("selected", "manager_approval"): {"host"},
    ("manager_approval", "confirmed"): {"home_manager"},
    ("confirmed", "completed"): {"host"},
    **{(state, "withdrawn"): {"applicant"} for state in LIVE},       # any time before completed
    **{(state, "not_selected"): {"host"} for state in ("applied", "shortlisted", "selected")},
    ("manager_approval", "manager_declined"): {"home_manager"},
    ("manager_approval", "lapsed"): {"system"},                      # never answered before the deadline
    **{(state, "cancelled"): {"system"} for state in LIVE},          # the opportunity was cancelled
}
APPLICATION_ADDED = {
    ("applied", "selected"): {"host"},  # selecting straight from the list, without a shortlist
}
# Admins act for hosts and home managers (the applicants page and the portal's decision page).
APPLICATION_ADMINS = {"agency_admin", SITE_ADMIN}


def moves(machine) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for transition in machine.transitions.values():
        for source in transition.sources:
            found.setdefault((source, transition.target), set()).update(transition.roles)
    return found


@pytest.mark.parametrize("machine, states, terminal", [
    (opportunity.MACHINE, OPPORTUNITY_STATES, OPPORTUNITY_TERMINAL),
    (application.MACHINE, APPLICATION_STATES, APPLICATION_TERMINAL),
], ids=["opportunity", "application"])
def test_the_states_are_the_designs(machine, states, terminal):
    assert set(machine.states) == states
    assert set(machine.terminal) == terminal


@pytest.mark.parametrize("machine, designed, added", [
    (opportunity.MACHINE, OPPORTUNITY_MOVES, OPPORTUNITY_ADDED),
    (application.MACHINE, APPLICATION_MOVES, APPLICATION_ADDED),
], ids=["opportunity", "application"])
def test_the_moves_are_exactly_the_designs(machine, designed, added):
    assert set(moves(machine)) == set(designed) | set(added)


@pytest.mark.parametrize("machine, designed, extra", [
    (opportunity.MACHINE, {**OPPORTUNITY_MOVES, **OPPORTUNITY_ADDED}, {SITE_ADMIN}),
    (application.MACHINE, {**APPLICATION_MOVES, **APPLICATION_ADDED}, APPLICATION_ADMINS),
], ids=["opportunity", "application"])
def test_each_move_is_made_by_the_people_the_design_names(machine, designed, extra):
    for move, roles in moves(machine).items():
        assert designed[move] <= roles, f"{move}: the design's {designed[move]} cannot make it"
        allowed = designed[move] | extra | _system_may(move)
        assert roles <= allowed, f"{move}: {roles - allowed} may make it, the design does not say so"


def _system_may(move: tuple[str, str]) -> set[str]:
    """The system acts for the host in one place: asking the home manager right after a selection."""
    return {"system"} if move == ("selected", "manager_approval") else set()


@pytest.mark.parametrize("machine", [opportunity.MACHINE, application.MACHINE], ids=["opportunity", "application"])
def test_nothing_leaves_a_terminal_state(machine):
    assert not [move for move in moves(machine) if move[0] in machine.terminal]

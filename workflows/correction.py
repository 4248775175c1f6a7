"""The correction-request machine (Australian Privacy Principle 13): a person asks an admin of their agency
to correct what they cannot edit themselves; the admin accepts (and makes the change) or declines with a
reason. Either way the person is told."""
from __future__ import annotations

from workflows.machine import Effect, Machine, Transition

DECIDERS = frozenset({"agency_admin", "site_admin"})
TOLD = (Effect("correction_decided", "requester"),)

MACHINE = Machine.build("correction", ("pending", "accepted", "declined"), ("accepted", "declined"), [
    Transition("accept", frozenset({"pending"}), "accepted", DECIDERS, label="Corrected", effects=TOLD),
    Transition("decline", frozenset({"pending"}), "declined", DECIDERS, label="Not corrected", effects=TOLD,
               reason_required=True),
])

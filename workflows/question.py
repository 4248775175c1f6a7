"""The question machine: a question someone asked on an opportunity is answered by one of its owners (who may
reword the answer later), or hidden by an owner or an admin of the host agency. Every move is audited; an
answer tells the asker."""
from __future__ import annotations

from workflows.machine import Effect, Machine, Transition

OWNER = "owner"
MODERATORS = frozenset({OWNER, "agency_admin", "site_admin"})

MACHINE = Machine.build("question", ("open", "answered", "hidden"), ("hidden",), [
    Transition("answer", frozenset({"open"}), "answered", frozenset({OWNER}), label="Answered",
               effects=(Effect("question_answered", "asker"),)),
    Transition("edit_answer", frozenset({"answered"}), "answered", frozenset({OWNER}), label="Answer edited"),
    Transition("hide", frozenset({"open", "answered"}), "hidden", MODERATORS, label="Hidden"),
])

"""State machines for opportunities and applications: plain Python, no Flask, no Celery.

The caller owns the database transaction; `fire` changes the record and tells a Recorder what
to write (an audit event, outbox messages) so that both land in the caller's transaction.
"""
from workflows.machine import Actor, Effect, Job, Machine, Recorder, Transition, TransitionRefused, fire
from workflows.refusal import Refused

__all__ = ["Actor", "Effect", "Job", "Machine", "Recorder", "Refused", "Transition", "TransitionRefused", "fire"]

"""State machines for opportunities and applications: plain Python, no Flask, no Celery.

The caller owns the database transaction; `fire` changes the record and tells a Recorder what
to write (an audit event, outbox messages) so that both land in the caller's transaction.
"""
from workflows.machine import Actor, Effect, Machine, Recorder, Transition, TransitionRefused, fire

__all__ = ["Actor", "Effect", "Machine", "Recorder", "Transition", "TransitionRefused", "fire"]

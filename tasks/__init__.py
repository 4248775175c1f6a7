"""Celery tasks: thin wrappers that open a session, call domain code and commit.

`celery -A tasks worker` and `celery -A tasks beat` find the app here.
"""
from tasks.celery_app import celery

app = celery

__all__ = ["app", "celery"]

"""Celery tasks: thin wrappers that open a session, call domain code and commit.

The portal's factory imports this package and binds it (`bind`); the worker and beat start from the app
the factory built: `celery -A wsgi:celery worker` and `celery -A wsgi:celery beat`.
"""
from tasks import mail, sweeps
from tasks.celery_app import bind, celery

__all__ = ["bind", "celery", "mail", "sweeps"]

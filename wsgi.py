"""Entry points: `gunicorn wsgi:app` for the web, `celery -A wsgi:celery worker` (and `beat`) for the worker."""
from portal import create_app

app = create_app()
celery = app.extensions["celery"]

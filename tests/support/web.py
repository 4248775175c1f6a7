"""A test client that behaves like a browser form: it sends the CSRF token the page gave it."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Web:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token: str | None = None

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        found = CSRF.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            if self.token is None:
                self.get("/sign-in")
            data["csrf_token"] = self.token
        return self.client.post(url, data=data, **kwargs)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        """GET the form page first (as a person would), then POST to it."""
        self.get(url)
        return self.post(url, data, **kwargs)

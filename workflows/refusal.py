"""The one way domain code says no: a message for the person, an HTTP status, and the form field it is about.

The web layer turns it into a page (with the message beside `field` where the form has one) or a JSON error
body; nothing else is raised to refuse.
"""
from __future__ import annotations


class Refused(Exception):
    """Something the rules do not allow: 403 (not yours to do), 404, 409 (not now), 422 (fix the input)."""

    def __init__(self, message: str, status: int = 409, field: str | None = None, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
        self.code = code

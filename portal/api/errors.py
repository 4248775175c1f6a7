"""The API's refusal: a `workflows.Refused` with a stable `code` and, for invalid input, the problems by field.
The one refusal handler (portal/errors.py) writes its JSON body."""
from __future__ import annotations

from workflows import Refused


class ApiError(Refused):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(message, status, code=code)
        self.fields = fields or {}

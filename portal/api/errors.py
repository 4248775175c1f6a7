"""The API's one error type: raised anywhere under /api/v1, turned into a JSON body by the blueprint."""
from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}

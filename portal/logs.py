"""JSON log lines with a request id that follows the work from the web request into tasks and e-mail.

E-mail addresses never reach a log: every record's text passes through `mask_addresses` first.
"""
from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from contextvars import ContextVar
from datetime import datetime, timezone

from portal.config import Settings

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
ADDRESS = re.compile(r"([A-Za-z0-9])[A-Za-z0-9._%+'-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask_address(address: str | None) -> str:
    """'aisha.karim@dta.gov.au' → 'a***@dta.gov.au': enough to tell messages apart, not to read them."""
    return mask_addresses(address or "")


def mask_addresses(text: str) -> str:
    return ADDRESS.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def request_id() -> str | None:
    return _request_id.get()


def use_request_id(value: str | None) -> str:
    """Carry `value` (when it is a plausible id) or a new id for the work that follows."""
    value = value if value and SAFE_ID.fullmatch(value) else secrets.token_hex(8)
    _request_id.set(value)
    return value


def forget_request_id() -> None:
    _request_id.set(None)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": mask_addresses(record.getMessage())}
        if request_id():
            line["request_id"] = request_id()
        line.update({key: value for key, value in vars(record).items() if key not in STANDARD})
        if record.exc_info:
            line["error"] = mask_addresses(self.formatException(record.exc_info))
        return json.dumps(line, default=str)


class MaskingFormatter(logging.Formatter):
    """The plain-text shape for a developer's terminal (LOG_FORMAT=text), addresses masked too."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_addresses(super().format(record))


def configure(settings: Settings) -> None:
    """Point the root logger at stderr in the chosen shape (once per process)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "oneaps", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.__stderr__)  # the real stderr: Celery redirects sys.stderr to a logger
        handler.oneaps = True
        for other in [h for h in root.handlers if type(h) is logging.StreamHandler]:
            root.removeHandler(other)
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else
                         MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(logging.INFO)
    # The portal's own lines (one per request and task) stay on whatever a Celery worker's --loglevel does to root.
    logging.getLogger("portal").setLevel(logging.INFO)

"""The field types of the API's published schema, each declared once.

Requests are validated against the OpenAPI document built from these, so changing what (say) one-line
text may hold here changes both what the document promises and what the API refuses. A pattern carries
`x-refusal`, the sentence a client sees next to the field when a value does not match it.
"""
from __future__ import annotations

from portal import text
from portal.forms import LARGEST_NUMBER

MAX_RECORD_ID = LARGEST_NUMBER  # the database's integer range

NO_NUL = "^[^\\u0000]*$"  # no database text column can hold a NUL byte


def _text(pattern: str, filled_pattern: str, max_length: int, filled: bool, refusal: str) -> dict:
    return {"type": "string", "maxLength": max_length, "pattern": filled_pattern if filled else pattern,
            "x-refusal": f"{refusal} It must not be blank." if filled else refusal}


def one_line_text(max_length: int, *, filled: bool = False) -> dict:
    """A name, title or address line: it may end up in an e-mail header, so no line breaks (the forms' rule,
    portal.text, published as a pattern)."""
    return _text(text.ONE_LINE_PATTERN, text.FILLED_ONE_LINE_PATTERN, max_length, filled, text.ONE_LINE_MESSAGE)


def multi_line_text(max_length: int, *, filled: bool = False) -> dict:
    return _text(text.MULTI_LINE_PATTERN, text.FILLED_MULTI_LINE_PATTERN, max_length, filled,
                 text.MULTI_LINE_MESSAGE)


def whole_number(low: int, high: int, **extra) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high, **extra}


def record_id() -> dict:
    return whole_number(1, MAX_RECORD_ID)


def one_of(values) -> dict:
    return {"type": "string", "enum": list(values)}


def list_of(item: dict) -> dict:
    return {"type": "array", "items": item}


def government_email(domains: tuple[str, ...]) -> dict:
    """An address at one of the allowed domains or a subdomain, in a shape every mail system accepts.

    Three dot-separated parts at most before the @ (each part bounded so the whole stays within 64
    characters), single hyphens inside domain labels."""
    atom = "[A-Za-z0-9_+'-]"
    local = f"({atom}{{1,64}}|{atom}{{1,31}}\\.{atom}{{1,32}}|{atom}{{1,20}}\\.{atom}{{1,20}}\\.{atom}{{1,21}})"
    label = "[A-Za-z0-9]{1,30}(-[A-Za-z0-9]{1,30})?"
    domain = "(" + "|".join(d.replace(".", "\\.") for d in domains) + ")"
    return {"type": "string", "maxLength": 254, "pattern": f"^{local}@({label}\\.){{0,4}}{domain}$",
            "x-refusal": "Use a government e-mail address (ending in " + ", ".join(domains) + ").",
            "description": "A government address: one of the allowed e-mail domains or a subdomain of one"}

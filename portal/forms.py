"""Field helpers shared by every feature's forms."""
from __future__ import annotations

from wtforms import ValidationError


def strip(value):
    return value.strip() if isinstance(value, str) else value


def no_control_characters(form, field) -> None:
    """NUL and other control characters have no place in anything a person types."""
    value = field.data if isinstance(field.data, str) else ""
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError("Remove the unusual characters from this answer.")

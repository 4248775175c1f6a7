"""Field helpers shared by every feature's forms."""
from __future__ import annotations

from wtforms import ValidationError
from wtforms.validators import Email


def allowed_government_email(form, field) -> None:
    """Only addresses on the configured allow-list of government domains."""
    from portal.accounts.services import allowed_domains, email_domain_allowed
    from portal.extensions import db

    Email(message="Enter an e-mail address in the right format, like name@agency.gov.au")(form, field)
    allowed = allowed_domains(db.session)
    if not email_domain_allowed(field.data or "", allowed):
        raise ValidationError("Use your government e-mail address (ending in " + ", ".join(allowed) + ").")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def no_control_characters(form, field) -> None:
    """NUL and other control characters have no place in anything a person types."""
    value = field.data if isinstance(field.data, str) else ""
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError("Remove the unusual characters from this answer.")

"""Field helpers shared by every feature's forms (and by the API, which checks its input with the same forms)."""
from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, ValidationError
from wtforms.validators import Email, NumberRange, Optional

from portal import text

LARGEST_NUMBER = 2**31 - 1  # the database's integer: a larger number is never a real value


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


def one_line(form, field) -> None:
    """Titles, names, headlines: no line break, tab or other control or invisible character."""
    found = text.problem(field.data if isinstance(field.data, str) else None)
    if found:
        raise ValidationError(found)


def no_control_characters(form, field) -> None:
    """Longer answers may run over several lines, but hold no other control or invisible character."""
    found = text.problem(field.data if isinstance(field.data, str) else None, multi_line=True)
    if found:
        raise ValidationError(found)


class OneLineField(StringField):
    """A one-line text box: trimmed, and refused when it holds a line break or other control character."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators=[*(validators or []), one_line],
                         filters=[strip, *kwargs.pop("filters", [])], **kwargs)


class WholeNumberField(IntegerField):
    """A number from a request: words, fractions and numbers past the database's integer are refused."""

    def __init__(self, label=None, validators=None, minimum: int = 0, maximum: int = LARGEST_NUMBER,
                 **kwargs) -> None:
        super().__init__(label, validators=[*(validators or []), NumberRange(
            min=minimum, max=maximum, message=f"Enter a whole number from {minimum} to {maximum}")], **kwargs)

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        if raw and not (raw.isascii() and raw.isdigit()):  # int() would take '٣', '1_000' and ' -2 '
            self.data = None
            raise ValueError("Enter a whole number, like 3")
        super().process_formdata(valuelist)


def is_whole_number(value: object, maximum: int = LARGEST_NUMBER) -> bool:
    """A JSON number the API may take: an int (not a bool) from 0 to `maximum`."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum


class VersionField(WholeNumberField):
    """The record's version the page was drawn from, sent back in a hidden input to catch a stale edit."""

    widget = HiddenField.widget

    def __init__(self, label="Version", **kwargs) -> None:
        super().__init__(label, validators=[Optional()], **kwargs)


class VersionForm(FlaskForm):
    """What an action button (pause, close selection, complete, withdraw…) sends besides its CSRF token."""

    version = VersionField()


def submitted_version() -> int | None:
    """The version posted with an action; a forged one is refused (422) before anything changes."""
    form = VersionForm()
    if not form.validate():
        abort(422, "This page was sent with a value it never had. Reload the page and try again.")
    return form.version.data

"""Field helpers shared by every feature's forms (and by the API, which checks its input with the same forms)."""
from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, ValidationError
from wtforms.validators import NumberRange, Optional

from portal import text
from workflows import clock

LARGEST_NUMBER = 2**31 - 1  # the database's integer: a larger number is never a real value
PLANNED_YEARS_BACK, PLANNED_YEARS_AHEAD = 1, 3
SUPPORTED_DATES = (date(2000, 1, 1), date(2099, 12, 31))


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


def supported_date(day: date) -> bool:
    """Far from the calendar's ends, so day and month arithmetic (and Canberra midnight in UTC) cannot overflow."""
    return SUPPORTED_DATES[0] <= day <= SUPPORTED_DATES[1]


def within_supported_years(form, field) -> None:
    """A date to search or report by (not one planned with: see planned_date)."""
    if field.data and not supported_date(field.data):
        raise ValidationError(f"Enter a date between {SUPPORTED_DATES[0].year} and {SUPPORTED_DATES[1].year}")


def _years_on(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def planned_dates(today: date) -> tuple[date, date]:
    """The dates work can be planned for: from a year back (an opportunity under way stays editable) to three
    years ahead. 1900-01-01 or 9999-12-31 is a slip of the keyboard, caught where it is typed."""
    return _years_on(today, -PLANNED_YEARS_BACK), _years_on(today, PLANNED_YEARS_AHEAD)


def planned_date(form, field) -> None:
    """A start, end or closing date within planned_dates(), with the range in the message by the field."""
    if field.data is None:
        return
    earliest, latest = planned_dates(clock.canberra_today())
    if not earliest <= field.data <= latest:
        raise ValidationError(f"Enter a date from {earliest.day} {earliest:%B %Y} to {latest.day} {latest:%B %Y}")


class OneLineField(StringField):
    """A one-line text box: trimmed, and refused when it holds a line break or other control character."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators=[*(validators or []), one_line],
                         filters=[strip, *kwargs.pop("filters", [])], **kwargs)


class WholeNumberField(IntegerField):
    """A number from a request: words, fractions and numbers past the database's integer are refused."""

    def __init__(self, label=None, validators=None, minimum: int = 0, maximum: int = LARGEST_NUMBER,
                 **kwargs) -> None:
        self.message = f"Enter a whole number from {minimum} to {maximum}"
        super().__init__(label, validators=[*(validators or []), NumberRange(minimum, maximum, self.message)],
                         **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        raw = valuelist[0].strip()
        self.data = whole_number(raw)
        if raw and self.data is None:
            raise ValueError(self.message)


def whole_number(raw: str | None, low: int = 0, high: int = LARGEST_NUMBER) -> int | None:
    """A number typed in a URL or form, or None: ASCII digits only (int() would take '٣', '1_000' and ' -2 '),
    from `low` to `high`, and never thousands of digits for int() to chew on."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    number = int(raw)
    return number if low <= number <= high else None


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
        abort(422, "This form was changed before it was sent. Reload the page and try again.")
    return form.version.data


def pressed(form: FlaskForm, choices: tuple[str, ...], missing: str) -> str | None:
    """Which of a decision form's buttons (name "decision") was pressed, or None with `missing` beside its
    comment box (the form's first place for a message)."""
    choice = request.form.get("decision")
    if choice in choices:
        return choice
    form.comment.errors.append(missing)
    return None

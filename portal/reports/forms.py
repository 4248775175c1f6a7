"""The report filter: a GET form (no CSRF: it changes nothing), so a filtered report has a shareable URL."""
from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from portal.forms import within_supported_years
from portal.reports.scope import Scope

MAX_YEARS = 5
DATE_HINT = "For example, 2026-03-31 or 31/03/2026"
BAD_DATE = "Enter a real date, for example 2026-03-31 or 31/03/2026"


def default_start(end: date) -> date:
    """The first day of the month eleven months back: twelve whole months ending with the end date's."""
    months = end.year * 12 + end.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1)


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    from_date = DateField("From", format=["%Y-%m-%d", "%d/%m/%Y"], description=DATE_HINT,
                          invalid_value_message=BAD_DATE, validators=[Optional(), within_supported_years])
    to_date = DateField("To", format=["%Y-%m-%d", "%d/%m/%Y"], description=DATE_HINT,
                        invalid_value_message=BAD_DATE, validators=[Optional(), within_supported_years])
    agency = SelectField("Agency", validate_choice=False)

    def __init__(self, *args, today: date, agencies: list[tuple[int, str]], all_label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.agency.choices = [("", all_label)] + [(str(agency_id), name) for agency_id, name in agencies]
        self.allowed = {str(agency_id) for agency_id, _ in agencies}

    @property
    def start(self) -> date:
        """Without a start date: the twelve months up to the end date."""
        return self.from_date.data or default_start(self.end)

    @property
    def end(self) -> date:
        return self.to_date.data or self.today

    def validate_to_date(self, field) -> None:
        if self.from_date.errors or field.errors:
            return
        if self.start > self.end:
            raise ValidationError("The end date must be the same as or after the start date")
        if self.end - self.start > timedelta(days=366 * MAX_YEARS):
            raise ValidationError(f"Choose dates no more than {MAX_YEARS} years apart")

    def validate_agency(self, field) -> None:
        if field.data and field.data not in self.allowed:
            raise ValidationError("Choose an agency from the list")

    def scope(self, allowed: frozenset[int] | None) -> Scope:
        """The agencies shown: the one chosen, else every agency the viewer may see."""
        chosen = frozenset({int(self.agency.data)}) if self.agency.data else allowed
        return Scope(self.start, self.end, chosen)

"""Forms for the administration pages."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import OneLineField, strip

DOMAIN = re.compile(r"^(?=.{3,120}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def valid_domain(form, field) -> None:
    field.data = (field.data or "").strip().lower().lstrip("@.")
    if not DOMAIN.match(field.data):
        raise ValidationError("Enter a domain like agency.gov.au, without the @")


class AgencyForm(FlaskForm):
    name = OneLineField("Agency name", validators=[DataRequired("Enter the agency's name"), Length(max=200)])
    abbreviation = OneLineField("Short name", validators=[Optional(), Length(max=30)])
    portfolio = OneLineField("Portfolio", validators=[Optional(), Length(max=200)])


class MergeAgencyForm(FlaskForm):
    target_id = SelectField("Merge into", coerce=int, validators=[DataRequired("Choose the agency to keep")])


class SkillForm(FlaskForm):
    name = OneLineField("Skill", validators=[DataRequired("Enter the skill's name"), Length(max=80)])
    family = OneLineField("Job family", validators=[DataRequired("Enter the job family"), Length(max=80)])


class DomainForm(FlaskForm):
    domain = StringField("Domain", filters=[strip], validators=[DataRequired("Enter a domain"), valid_domain],
                         description="Managers' addresses in this domain and its subdomains are accepted.")


class AgencyDomainForm(FlaskForm):
    domain = StringField("Domain", filters=[strip], validators=[DataRequired("Enter a domain"), valid_domain],
                         description="People register with addresses in this domain and its subdomains.")
    agency_id = SelectField("Agency", coerce=int, validators=[Optional()],
                            description="Their agency is taken from the domain. Choose none for an extra domain "
                                        "whose people belong to no agency.")
    contractors_only = BooleanField("Only contractors use this domain")


class MovePersonForm(FlaskForm):
    email = EmailField("Their e-mail address", filters=[strip],
                       validators=[DataRequired("Enter the person's e-mail address"), Length(max=254)])


class GrantAgencyAdminForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose an agency")])


class ChangeOwnerForm(FlaskForm):
    email = EmailField("New owner's e-mail address", filters=[strip],
                       validators=[DataRequired("Enter the new owner's e-mail address"), Length(max=254)])

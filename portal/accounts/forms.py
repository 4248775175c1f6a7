"""Account forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, TextAreaField
from wtforms import ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.accounts.services import allowed_domains, email_domain_allowed
from portal.extensions import db
from portal.forms import OneLineField, no_control_characters, strip
from portal.models.users import APS_CLASSIFICATIONS, CLEARANCES


def allowed_government_email(form, field) -> None:
    """Only addresses on the configured allow-list of government domains."""
    Email(message="Enter an e-mail address in the right format, like name@agency.gov.au")(form, field)
    allowed = allowed_domains(db.session)
    if not email_domain_allowed(field.data or "", allowed):
        raise ValidationError("Use your government e-mail address (ending in " + ", ".join(allowed) + ").")


PASSWORD_HELP = "At least 12 characters. A few unrelated words make a strong password."
SHARED_DOMAIN_HELP = "Several agencies share this e-mail domain: choose yours."


def agency_email(form, field) -> None:
    """An address in a domain an APS agency owns (or a site admin allows); see portal.accounts.domains."""
    from portal.accounts.domains import membership
    from portal.extensions import db

    Email(message="Enter an e-mail address in the right format, like name@agency.gov.au")(form, field)
    refusal = membership(db.session, field.data or "").refusal
    if refusal:
        raise ValidationError(refusal)


class RegisterForm(FlaskForm):
    name = OneLineField("Full name", validators=[DataRequired("Enter your full name"), Length(max=120)])
    email = EmailField("Your APS agency e-mail address", filters=[strip],
                       description="Your agency is taken from it.",
                       validators=[DataRequired("Enter your e-mail address"), Length(max=254), agency_email])
    agency_id = SelectField("Agency", coerce=int, validators=[Optional()], validate_choice=False,
                            description=SHARED_DOMAIN_HELP)
    password = PasswordField("Password", description=PASSWORD_HELP,
                             validators=[DataRequired("Choose a password"),
                                         Length(min=12, max=200, message="Use at least 12 characters")])
    confirm = PasswordField("Confirm password", validators=[DataRequired("Type your password again"),
                                                            EqualTo("password", "The passwords do not match")])
    is_contractor = BooleanField("I am a contractor working for a federal agency",
                                 description="Contractors can post opportunities for a federal manager but cannot apply.")


class SignInForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip], validators=[DataRequired("Enter your e-mail address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip],
                       validators=[DataRequired("Enter your e-mail address"), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", description=PASSWORD_HELP,
                             validators=[DataRequired("Choose a password"),
                                         Length(min=12, max=200, message="Use at least 12 characters")])
    confirm = PasswordField("Confirm new password", validators=[DataRequired("Type your password again"),
                                                                EqualTo("password", "The passwords do not match")])


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes. A value that is none of the boxes (a blank, a word) is refused, never read as "none chosen"."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("invalid_value_message", "Choose only from the boxes listed")
        kwargs.setdefault("invalid_choice_message", "Choose only from the boxes listed")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = []
        super().process_formdata(valuelist)


class ProfileForm(FlaskForm):
    name = OneLineField("Full name", validators=[DataRequired("Enter your full name"), Length(max=120)])
    job_title = OneLineField("Job title", validators=[Optional(), Length(max=120)])
    location = OneLineField("Location", description="City and state, for example Canberra ACT",
                            validators=[Optional(), Length(max=120)])
    aps_classification = SelectField(
        "Your APS classification", validators=[Optional()], default="",
        choices=[("", "Not given")] + list(APS_CLASSIFICATIONS.items()),
        description="Your substantive level. It is printed on the mobility plan of each participation.")
    clearance = SelectField(
        "Security clearance you hold", choices=list(CLEARANCES.items()), default="none",
        description="Search can show only the opportunities your clearance meets. The host checks it before you start.")
    supervisor_name = OneLineField("Your manager's name",
                                   description="We suggest them as your home manager when you apply.",
                                   validators=[Optional(), Length(max=120)])
    supervisor_email = EmailField("Your manager's e-mail address", filters=[strip],
                                  validators=[Optional(), Length(max=254), allowed_government_email])
    skills = MultiCheckboxField("Your skills", coerce=int,
                                description="Choose up to 10. Opportunities that need them are suggested to you.")
    bio = TextAreaField("About you", filters=[strip], description="A few sentences about your work and interests.",
                        validators=[Optional(), Length(max=2000), no_control_characters])


class MoveAgencyForm(FlaskForm):
    email = EmailField("Your e-mail address at your new agency", filters=[strip],
                       description="We will send a link to it. Your agency changes when you open the link.",
                       validators=[DataRequired("Enter your new e-mail address"), Length(max=254), agency_email])
    agency_id = SelectField("Agency", coerce=int, validators=[Optional()], validate_choice=False,
                            description=SHARED_DOMAIN_HELP)

"""Forms for posting, submitting, deciding on and cancelling opportunities, and for saving a search from the
browse page (and renaming it later)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.accounts.forms import MultiCheckboxField, allowed_government_email
from portal.forms import (OneLineField, VersionField, WholeNumberField, no_control_characters, planned_date, strip)
from portal.models.opportunities import (AUSTRALIAN_STATES, CLEARANCES, COMMITMENT_KINDS, OPPORTUNITY_KINDS,
                                         WORK_MODES)
from workflows.opportunity import MAX_POSITIONS, MAX_SKILLS, NEEDED_TO_SUBMIT

LONG_TEXT = 5000
# Not marked "(optional)": what submitting needs (one list, workflows.opportunity), and choices that always hold an
# answer. A draft saves without them.
NEEDED = frozenset(name for name, _ in NEEDED_TO_SUBMIT) | {"kind", "commitment_kind", "clearance"}
MARKDOWN_HINT = "You can use Markdown: *italic*, **bold**, lists starting with '-'."


def _options(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _text(label: str, description: str = "", max_length: int = LONG_TEXT) -> TextAreaField:
    return TextAreaField(label, filters=[strip], description=description,
                         validators=[Optional(), Length(max=max_length), no_control_characters])


class OpportunityForm(FlaskForm):
    """Everything about an opportunity. Only the title is needed to save a draft; submit checks the rest."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in NEEDED & set(self._fields):
            self[name].flags.needed = True

    version = VersionField()
    title = OneLineField("Title", description="Up to 100 characters, for example "
                         "'User researcher for a new grants service'.",
                         validators=[DataRequired("Enter a title"),
                                     Length(max=100, message="Use 100 characters or fewer")])
    summary = _text("Summary", "One or two sentences shown in search results.", 500)
    what_you_do = _text("What you'll do", MARKDOWN_HINT)
    what_you_gain = _text("What you'll gain", MARKDOWN_HINT)
    about_team = _text("About the team", MARKDOWN_HINT)
    kind = SelectField("Type of opportunity", choices=_options(OPPORTUNITY_KINDS))
    skills = MultiCheckboxField("Skills", coerce=int,
                                description=f"Choose from 1 to {MAX_SKILLS}.")
    host_agency_id = SelectField("Host agency", coerce=int, validators=[Optional()])
    team = OneLineField("Team", validators=[Optional(), Length(max=120)])
    work_mode = RadioField("How the work is done", choices=_options(WORK_MODES), default="remote")
    location_state = SelectField("State or territory", validators=[Optional()],
                                 choices=_options({"": "Not applicable (remote)", **{s: s for s in AUSTRALIAN_STATES}}))
    location_city = OneLineField("City or town", validators=[Optional(), Length(max=80)])
    commitment_amount = WholeNumberField("Time commitment", validators=[Optional()], minimum=1, maximum=2000)
    commitment_kind = SelectField("Measured in", choices=_options(COMMITMENT_KINDS))
    start_date = DateField("Start date", validators=[Optional(), planned_date], description="For example 2027-03-01")
    end_date = DateField("End date", validators=[Optional(), planned_date])
    deadline = DateField("Applications close", validators=[Optional(), planned_date])
    positions = WholeNumberField("Number of positions", default=1, minimum=1, maximum=MAX_POSITIONS,
                                 validators=[DataRequired("Enter how many people you need")])
    clearance = SelectField("Security clearance needed", choices=_options(CLEARANCES))
    restricted_to_agency = BooleanField("Only people from the host agency can see and apply")
    contact_name = OneLineField("Contact name", validators=[Optional(), Length(max=120)])
    contact_email = EmailField("Contact e-mail address", filters=[strip],
                               validators=[Optional(), Length(max=254), allowed_government_email])
    approving_manager_name = OneLineField("Federal manager's name", validators=[Optional(), Length(max=120)])
    approving_manager_email = EmailField("Federal manager's e-mail address", filters=[strip],
                                         description="Contractors post on behalf of a federal manager, "
                                                     "who approves the opportunity and owns it.",
                                         validators=[Optional(), Length(max=254), allowed_government_email])

    def validate_skills(self, field) -> None:
        if len(field.data or []) > MAX_SKILLS:
            raise ValidationError(f"Choose {MAX_SKILLS} skills or fewer")

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The end date must be on or after the start date")

    def validate_deadline(self, field) -> None:
        if field.data and self.start_date.data and field.data > self.start_date.data:
            raise ValidationError("Applications must close on or before the start date")

    def validate_location_state(self, field) -> None:
        if self.work_mode.data in ("hybrid", "in_person") and not field.data:
            raise ValidationError("Choose the state or territory where the work is done")


class ManagerForm(FlaskForm):
    """Who approves the opportunity: prefilled with the creator's supervisor."""

    approving_manager_name = OneLineField("Approving manager's name", validators=[
        DataRequired("Enter your manager's name"), Length(max=120)])
    approving_manager_email = EmailField("Approving manager's e-mail address", filters=[strip], validators=[
        DataRequired("Enter your manager's e-mail address"), Length(max=254), allowed_government_email])


DECISIONS = {"approve": "Approve and publish it", "request_changes": "Ask for changes", "reject": "Reject it"}


class DecisionForm(FlaskForm):
    decision = RadioField("Your decision", choices=_options(DECISIONS),
                          validators=[DataRequired("Choose what to do with this opportunity")])
    comment = TextAreaField("Comment", filters=[strip], description="Needed when you ask for changes or reject.",
                            validators=[Length(max=2000), no_control_characters])

    def validate_comment(self, field) -> None:
        if self.decision.data in ("request_changes", "reject") and not field.data:
            raise ValidationError("Say what needs to change, or why you are rejecting it")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", filters=[strip], description="Everyone who applied receives this by e-mail.",
                           validators=[DataRequired("Give a reason"), Length(max=2000), no_control_characters])


class CoownerForm(FlaskForm):
    email = EmailField("Co-owner's e-mail address", filters=[strip], description="They need a oneAPS account.",
                       validators=[DataRequired("Enter an e-mail address"), Length(max=254), allowed_government_email])


# ---- saved searches: named on the browse page, renamed on their own page --------------------------------

SEARCH_NAME_MAX = 80


def _search_name_field(label: str) -> OneLineField:
    return OneLineField(label, description="For example: Data work in Canberra",
                        validators=[DataRequired("Give the search a name"),
                                    Length(max=SEARCH_NAME_MAX, message=f"Use {SEARCH_NAME_MAX} characters or fewer")])


class SaveSearchForm(FlaskForm):
    name = _search_name_field("Name this search")
    alert = BooleanField("E-mail me when new opportunities match this search (once a day at most)")
    query = HiddenField()


class RenameForm(FlaskForm):
    name = _search_name_field("New name")

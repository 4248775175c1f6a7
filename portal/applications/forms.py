"""Forms for applying, reviewing applicants and the home manager's decision."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.accounts.forms import allowed_government_email
from portal.forms import OneLineField, no_control_characters, strip


class ApplyForm(FlaskForm):
    statement = TextAreaField(
        "Why you", filters=[strip], description="Tell the host team why you want this and what you bring. "
                                                "Up to 2,000 characters.",
        validators=[DataRequired("Tell the host team why you are applying"),
                    Length(max=2000, message="Keep this to 2,000 characters or fewer"), no_control_characters])
    relevant_skills = TextAreaField("Relevant skills and experience", filters=[strip],
                                    validators=[Optional(), Length(max=2000), no_control_characters])
    availability = TextAreaField("Your availability", filters=[strip],
                                 description="For example: Tuesdays and Thursdays, or 4 hours a week from March.",
                                 validators=[Optional(), Length(max=500), no_control_characters])
    development_goals = TextAreaField(
        "Your development goals", filters=[strip],
        description="Optional. What you want to learn or practise. If you are selected they go into your "
                    "arrangement with your host and home manager.",
        validators=[Optional(), Length(max=1000), no_control_characters])
    cv = FileField("Your CV", description="A PDF of 5 MB or less.")
    home_manager_name = OneLineField(
        "Your home manager's name",
        description="The manager who approves your participation. We e-mail them when you are selected.",
        validators=[DataRequired("Enter your home manager's name"), Length(max=120)])
    home_manager_email = EmailField(
        "Your home manager's e-mail address", filters=[strip],
        validators=[DataRequired("Enter your home manager's e-mail address"), Length(max=254),
                    allowed_government_email])


class NotSelectedForm(FlaskForm):
    message = TextAreaField("A message for the applicant", filters=[strip],
                            description="Optional. We add it to a kind e-mail telling them they were not selected.",
                            validators=[Optional(), Length(max=1000), no_control_characters])


class DecisionForm(FlaskForm):
    comment = TextAreaField("Comment", filters=[strip],
                            description="Optional. The employee and the host team see it.",
                            validators=[Optional(), Length(max=1000), no_control_characters])
    conditions = TextAreaField("Conditions of your approval", filters=[strip],
                               description="Optional, for an approval. For example: on Tuesdays only, or not in "
                                           "the last week of June. They are written into the arrangement.",
                               validators=[Optional(), Length(max=1000), no_control_characters])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""

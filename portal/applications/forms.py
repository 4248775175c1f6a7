"""Forms for applying, reviewing, deciding and giving feedback."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.accounts.forms import MultiCheckboxField, allowed_government_email
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
    agree_total = BooleanField("I agree to the total time they would spend on participations")


class CompleteForm(FlaskForm):
    early_finish_reason = TextAreaField(
        "Why is the work finishing early?", filters=[strip],
        description="The participation is due to end later. The participant and their home manager can read this.",
        validators=[Optional(), Length(max=1000), no_control_characters])


class ShowOnProfileForm(FlaskForm):
    shown = RadioField("Show your host's comment on your profile?", default="no",
                       choices=[("yes", "Yes, show it on my profile"), ("no", "No, keep it to myself")])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


RATINGS = ((5, "5: excellent"), (4, "4: good"), (3, "3: fair"), (2, "2: poor"), (1, "1: very poor"))


class FeedbackForm(FlaskForm):
    rating = RadioField("How did it go?", coerce=int,
                        choices=[SelectChoice(n, label) for n, label in RATINGS],
                        validators=[InputRequired("Choose a rating")])
    endorsed_skills = MultiCheckboxField("Skills you endorse", coerce=int,
                                         description="They appear on the participant's profile.")
    comment = TextAreaField("Comment", filters=[strip], validators=[Optional(), Length(max=1000),
                                                                   no_control_characters])

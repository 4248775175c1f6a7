"""Forms for marking a participation complete and for the feedback each side gives afterwards."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.accounts.forms import MultiCheckboxField
from portal.forms import no_control_characters, strip


class CompleteForm(FlaskForm):
    early_finish_reason = TextAreaField(
        "Why is the work finishing early?", filters=[strip],
        description="The participation is due to end later. The participant and their home manager can read this.",
        validators=[Optional(), Length(max=1000), no_control_characters])


class ShowOnProfileForm(FlaskForm):
    shown = RadioField("Show your host's comment on your profile?", default="no",
                       choices=[("yes", "Yes, show it on my profile"), ("no", "No, keep it to myself")])


RATINGS = ((5, "5: excellent"), (4, "4: good"), (3, "3: fair"), (2, "2: poor"), (1, "1: very poor"))


class FeedbackForm(FlaskForm):
    rating = RadioField("How did it go?", coerce=int,
                        choices=[SelectChoice(n, label) for n, label in RATINGS],
                        validators=[InputRequired("Choose a rating")])
    endorsed_skills = MultiCheckboxField("Skills you endorse", coerce=int,
                                         description="They appear on the participant's profile.")
    comment = TextAreaField("Comment", filters=[strip], validators=[Optional(), Length(max=1000),
                                                                   no_control_characters])

"""Forms for a person's data: ask for a correction, close the account; and an admin's decision."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.forms import no_control_characters, strip
from portal.models.privacy import CORRECTION_SUBJECTS


class CorrectionForm(FlaskForm):
    subject = RadioField("What is wrong?", choices=list(CORRECTION_SUBJECTS.items()),
                         validators=[InputRequired("Choose what is wrong")])
    details = TextAreaField("What should it say?", filters=[strip],
                            description="Say where you saw it and what is right. An admin of your agency reads this.",
                            validators=[DataRequired("Say what should be corrected"), Length(max=2000),
                                        no_control_characters])


class CloseAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm")])
    confirm = BooleanField("I understand my open applications will be withdrawn and I will not be able to sign in "
                           "again", validators=[DataRequired("Tick the box to confirm")])


class DecisionForm(FlaskForm):
    note = TextAreaField("Note to the person", filters=[strip],
                         description="Required when you decline: say why. Say what you changed when you accept.",
                         validators=[Optional(), Length(max=2000), no_control_characters])

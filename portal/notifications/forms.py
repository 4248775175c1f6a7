"""Announcement form (site admins)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import no_control_characters, strip


class AnnouncementForm(FlaskForm):
    title = StringField("Headline", filters=[strip],
                        validators=[DataRequired("Enter a headline"), Length(max=200), no_control_characters])
    body = TextAreaField("More detail", filters=[strip], description="Markdown is allowed.",
                         validators=[Optional(), Length(max=2000), no_control_characters])

"""Announcement form (site admins)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import OneLineField, no_control_characters, strip


class AnnouncementForm(FlaskForm):
    title = OneLineField("Headline", validators=[DataRequired("Enter a headline"), Length(max=200)])
    body = TextAreaField("More detail", filters=[strip], description="Markdown is allowed.",
                         validators=[Optional(), Length(max=2000), no_control_characters])

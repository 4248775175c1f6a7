"""Naming a search when it is saved, and renaming it later."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length

from portal.forms import OneLineField

NAME_MAX = 80


def _name_field(label: str) -> OneLineField:
    return OneLineField(label, description="For example: Data work in Canberra",
                        validators=[DataRequired("Give the search a name"),
                                    Length(max=NAME_MAX, message=f"Use {NAME_MAX} characters or fewer")])


class SaveSearchForm(FlaskForm):
    name = _name_field("Name this search")
    alert = BooleanField("E-mail me when new opportunities match this search (once a day at most)")
    query = HiddenField()


class RenameForm(FlaskForm):
    name = _name_field("New name")

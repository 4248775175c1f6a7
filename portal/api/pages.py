"""The profile page where people create and revoke their personal API tokens."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Length

from portal.access import verified_required
from portal.api import tokens
from portal.extensions import db
from portal.forms import OneLineField

bp = Blueprint("api_tokens", __name__, url_prefix="/profile/api-tokens")


class TokenForm(FlaskForm):
    name = OneLineField("What is this token for?", description="For example: team dashboard",
                        validators=[DataRequired("Give the token a name"), Length(max=80)])


@bp.route("/", methods=["GET", "POST"])
@verified_required
def index():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        if len(tokens.live_tokens(db.session, current_user)) >= tokens.MAX_TOKENS:
            form.name.errors.append(f"You can have {tokens.MAX_TOKENS} tokens at most. Revoke one first.")
        else:
            _, secret = tokens.create_token(db.session, current_user, form.name.data)
            db.session.commit()
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, secret=secret,
                           live=tokens.live_tokens(db.session, current_user)), 200 if not form.errors else 422


@bp.route("/<id:token_id>/revoke", methods=["POST"])
@verified_required
def revoke(token_id: int):
    if tokens.revoke(db.session, current_user, token_id):
        db.session.commit()
        flash("The token has been revoked: anything using it stops working now.", "success")
    return redirect(url_for("api_tokens.index"))

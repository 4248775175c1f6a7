"""Register, verify, sign in and out, reset a password, edit a profile."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from portal import links
from portal.access import safe_next
from portal.accounts import services
from portal.accounts.forms import (
    ForgotPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from portal.accounts.recognition import recognition
from portal.extensions import db, limiter
from portal.models import Agency, Skill
from workflows import Refused

bp = Blueprint("accounts", __name__)


def _agency_choices() -> list[tuple[int, str]]:
    agencies = db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name))
    return [(0, "Choose your agency")] + [(a.id, a.name) for a in agencies]


def _login_limit() -> str:
    return current_app.config["SETTINGS"].login_rate_limit


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    form.agency_id.choices = _agency_choices()
    if form.validate_on_submit():
        session = db.session
        if services.find_user(session, form.email.data):
            form.email.errors.append("An account already uses this address. Sign in, or reset your password.")
        else:
            user = services.register(session, name=form.name.data, email=form.email.data,
                                     password=form.password.data, agency_id=form.agency_id.data or None,
                                     is_contractor=form.is_contractor.data)
            session.commit()
            login_user(user)
            return redirect(url_for("accounts.unverified"))
    return render_template("accounts/register.html", form=form), 200 if not form.errors else 422


@bp.route("/verify/<token>")
def verify(token: str):
    session = db.session
    try:
        user = services.verify(session, token)
    except links.LinkRefused as refused:
        return links.refused_page(refused, "verify")
    session.commit()
    flash("Thank you: your e-mail address is confirmed.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.route("/verify", methods=["GET"])
@login_required
def unverified():
    if current_user.is_verified:
        return redirect(url_for("home.index"))
    return render_template("accounts/unverified.html")


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit("5 per hour")
def resend_verification():
    if not current_user.is_verified or current_user.email_bounced_at is not None:
        services.send_verification(db.session, current_user)
        db.session.commit()
    flash("We have sent you a new confirmation link.", "success")
    if current_user.is_verified:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.unverified"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        session = db.session
        try:
            user = services.authenticate(session, form.email.data, form.password.data)
        except Refused as refused:  # shown on the form, but the failure count is kept: not rolled back
            session.commit()
            form[refused.field].errors.append(refused.message)
        else:
            session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    return render_template("accounts/sign_in.html", form=form), 200 if not form.errors else 422


@bp.route("/sign-out", methods=["POST"])
def logout():
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), 200 if not form.errors else 422


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    session = db.session
    try:
        services.check_reset_token(session, token)
    except links.LinkRefused as refused:
        return links.refused_page(refused, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(session, token, form.password.data)
        session.commit()
        logout_user()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 200 if not form.errors else 422


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    session = db.session
    user = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    form.agency_id.choices = _agency_choices()
    skills = list(session.scalars(select(Skill).where(Skill.retired.is_(False)).order_by(Skill.family, Skill.name)))
    form.skills.choices = [(s.id, s.name) for s in skills]
    if request.method == "GET":
        form.skills.data = [s.id for s in user.skills]
    if form.validate_on_submit():
        if len(form.skills.data) > 10:
            form.skills.errors.append("Choose 10 skills or fewer")
        else:
            for field in ("name", "job_title", "location", "supervisor_name", "bio"):
                setattr(user, field, getattr(form, field).data or (None if field != "name" else user.name))
            user.agency_id = form.agency_id.data or None
            user.supervisor_email = (form.supervisor_email.data or "").lower() or None
            chosen = set(form.skills.data)
            retired_kept = [s for s in user.skills if s.retired]  # retired skills stay on old records
            user.skills = [s for s in skills if s.id in chosen] + retired_kept
            session.commit()
            flash("Your profile has been saved.", "success")
            return redirect(url_for("accounts.profile"))
    families: dict[str, list[Skill]] = {}
    for skill in skills:
        families.setdefault(skill.family, []).append(skill)
    return render_template("accounts/profile.html", form=form, families=families, chosen=set(form.skills.data or []),
                           recognition=recognition(session, user.id)), 200 if not form.errors else 422

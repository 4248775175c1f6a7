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
from portal.access import safe_next, verified_required
from portal.accounts import membership as moves
from portal.accounts import services
from portal.accounts.domains import MembershipRefused, membership
from portal.accounts.forms import (
    ForgotPasswordForm,
    MoveAgencyForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from portal.accounts.recognition import recognition
from portal.extensions import db, limiter
from portal.models import IdentityProvider, Skill
from portal.accounts.providers import enabled_providers, required_provider
from portal.sign_out import take_sign_out_url
from workflows import Refused

bp = Blueprint("accounts", __name__)


def _offer_shared_agencies(form) -> str | None:
    """Offer the agencies that share the typed address's domain (shared services) and nothing else; the
    refusal kind of an address that cannot register, for the page to explain."""
    found = membership(db.session, form.email.data) if form.email.data else None
    agencies = found.agencies if found and len(found.agencies) > 1 else []
    form.agency_id.choices = [(0, "Choose your agency")] + [(a.id, a.name) for a in agencies]
    return found.refusal_kind if found else None


def _login_limit() -> str:
    return current_app.config["SETTINGS"].login_rate_limit


def _through_provider(field, email: str) -> IdentityProvider | None:
    """An address whose agency requires its own sign-in has no password here: say so beside the field."""
    provider = required_provider(db.session, email or "")
    if provider is not None:
        field.errors.append(f"Your agency signs you in through {provider.name}, not with a oneAPS password. "
                            f"Use the “Sign in with {provider.name}” button.")
    return provider


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    refusal_kind = _offer_shared_agencies(form)
    if form.validate_on_submit():
        session = db.session
        if required := _through_provider(form.email, form.email.data):
            return render_template("accounts/register.html", form=form, required=required,
                                   refusal_kind=refusal_kind), 422
        try:
            services.register(session, name=form.name.data, email=form.email.data, password=form.password.data,
                              agency_id=form.agency_id.data or None, is_contractor=form.is_contractor.data)
        except MembershipRefused as refused:
            session.rollback()
            form.agency_id.errors.append(refused.message)
        else:
            session.commit()
            # The same answer whether or not the address already had an account: its e-mail says which.
            return render_template("accounts/registered.html", email=form.email.data)
    return render_template("accounts/register.html", form=form, refusal_kind=refusal_kind), \
        200 if not form.errors else 422


@bp.route("/verify/<token>")
@links.signed_link(services.VERIFY_LINK)
def verify(link: links.Link):
    session = db.session
    user = services.verify(session, link)
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
    providers = enabled_providers(db.session)
    if form.validate_on_submit():
        session = db.session
        if required := _through_provider(form.email, form.email.data):
            return render_template("accounts/sign_in.html", form=form, providers=[required], required=required), 422
        try:
            user = services.authenticate(session, form.email.data, form.password.data)
        except Refused as refused:  # shown on the form, but the failure count is kept: not rolled back
            session.commit()
            form[refused.field].errors.append(refused.message)
        else:
            session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    return render_template("accounts/sign_in.html", form=form, providers=providers), 200 if not form.errors else 422


@bp.route("/sign-out", methods=["POST"])
def logout():
    at_provider = take_sign_out_url()
    logout_user()
    flash("You have signed out.", "info")
    return redirect(at_provider or url_for("home.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if required := _through_provider(form.email, form.email.data):
            return render_template("accounts/forgot_password.html", form=form, required=required), 422
        services.request_password_reset(db.session, form.email.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), 200 if not form.errors else 422


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@links.signed_link(services.RESET_LINK)
def reset_password(link: links.Link):
    session = db.session
    user = services.reset_link_user(session, link)
    form = ResetPasswordForm()
    if required := required_provider(session, user.email):
        return render_template("sso/password_refused.html", required=required), 403
    if form.validate_on_submit():
        services.reset_password(session, link, form.password.data)
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
            user.supervisor_email = (form.supervisor_email.data or "").lower() or None
            user.aps_classification = form.aps_classification.data or None
            user.clearance = form.clearance.data
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


@bp.route("/profile/agency", methods=["GET", "POST"])
@verified_required
@limiter.limit("10 per hour", methods=["POST"])
def move_agency():
    """Moving agency: the person proves the new address is theirs; the agency follows from its domain."""
    form = MoveAgencyForm()
    refusal_kind = _offer_shared_agencies(form)
    if form.validate_on_submit():
        session = db.session
        try:
            moves.request_move(session, current_user, form.email.data, form.agency_id.data or None)
        except MembershipRefused as refused:
            session.rollback()
            form.agency_id.errors.append(refused.message)
        else:
            session.commit()
            flash(f"We have sent a link to {form.email.data}. Open it while signed in here to move agency.",
                  "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/move_agency.html", form=form, refusal_kind=refusal_kind), \
        200 if not form.errors else 422


@bp.route("/profile/agency/<token>")
@login_required
@links.signed_link(moves.MOVE_LINK)
def confirm_move(link: links.Link):
    session = db.session
    user = moves.confirm_move(session, link, current_user._get_current_object())
    session.commit()
    flash(f"Your address is now {user.email} and your agency is {user.agency.name if user.agency else 'not set'}.",
          "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/contractor", methods=["POST"])
@verified_required
def declare_contractor():
    """Only towards fewer rights: an agency admin clears the mark."""
    moves.declare_contractor(db.session, current_user)
    db.session.commit()
    flash("You are now recorded as a contractor: you can post opportunities for a federal manager, but not apply.",
          "success")
    return redirect(url_for("accounts.profile"))

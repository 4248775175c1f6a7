"""Identity provider pages: site admins add and edit providers and the domains each serves; an agency's
admins decide whether its people must sign in through it."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access import site_admin_required
from portal.admin.views import _attempt, _done, admin_required
from portal.extensions import db
from portal.models import Agency, IdentityProvider, ProviderDomain
from portal.sso import admin as services
from portal.sso.clients import check_discovery
from portal.sso.forms import NewProviderForm, ProviderDomainForm, ProviderForm, RequireProviderForm
from portal.urls import external_url

bp = Blueprint("sso_admin", __name__, url_prefix="/admin")


def _values(form: ProviderForm) -> dict:
    return {key: getattr(form, key).data for key in services.FIELDS}


def _save(form: ProviderForm, provider: IdentityProvider | None):
    """Checked against the provider's discovery document before it is saved."""
    settings = current_app.config["SETTINGS"]
    problem = check_discovery(form.issuer.data, settings)
    if problem:
        form.issuer.errors.append(problem)
        return None
    saved: list[IdentityProvider] = []
    done = _attempt(form, lambda: saved.append(services.save_provider(
        db.session, settings, provider, _values(form), form.client_secret.data, current_user)),
        "The identity provider has been saved.", "sso_admin.providers")
    return redirect(url_for("sso_admin.provider", provider_id=saved[0].id)) if done else None


@bp.route("/identity-providers", methods=["GET", "POST"])
@site_admin_required
def providers():
    form = NewProviderForm()
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    rows = list(db.session.scalars(select(IdentityProvider).order_by(IdentityProvider.name)))
    return render_template("sso/providers.html", rows=rows, form=form,
                           callback=external_url("sso.callback"), after_sign_out=external_url("home.index")), \
        200 if not form.errors else 422


def _domain_form() -> ProviderDomainForm:
    form = ProviderDomainForm(prefix="domain")
    form.agency_id.choices = [(0, "Choose the agency")] + [
        (a.id, a.name) for a in db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name))]
    return form


@bp.route("/identity-providers/<id:provider_id>", methods=["GET", "POST"])
@site_admin_required
def provider(provider_id: int):
    provider = db.session.get(IdentityProvider, provider_id) or abort(404)
    form = ProviderForm(obj=provider if request.method == "GET" else None)
    if form.validate_on_submit() and (done := _save(form, provider)):
        return done
    return render_template("sso/provider.html", provider=provider, form=form, domain_form=_domain_form(),
                           callback=external_url("sso.callback"), after_sign_out=external_url("home.index")), \
        200 if not form.errors else 422


@bp.route("/identity-providers/<id:provider_id>/domains", methods=["POST"])
@site_admin_required
def add_domain(provider_id: int):
    provider = db.session.get(IdentityProvider, provider_id) or abort(404)
    form = _domain_form()
    if form.validate_on_submit():
        agency = db.session.get(Agency, form.agency_id.data) or abort(404)
        if done := _attempt(form, lambda: services.add_domain(db.session, provider, form.domain.data,
                                                                     agency, current_user),
                            f"{provider.name} now signs in people with {form.domain.data} addresses.",
                            "sso_admin.provider", provider_id=provider.id):
            return done
    return render_template("sso/provider.html", provider=provider, form=ProviderForm(obj=provider),
                           domain_form=form, callback=external_url("sso.callback"),
                           after_sign_out=external_url("home.index")), 422


@bp.route("/identity-providers/<id:provider_id>/domains/remove", methods=["POST"])
@site_admin_required
def remove_domain(provider_id: int):
    provider = db.session.get(IdentityProvider, provider_id) or abort(404)
    services.remove_domain(db.session, provider, (request.form.get("domain") or "").lower(), current_user)
    return _done("The domain has been removed.", "sso_admin.provider", provider_id=provider.id)


@bp.route("/agencies/<id:agency_id>/single-sign-on", methods=["GET", "POST"])
@admin_required
def agency_sign_in(agency_id: int):
    agency = db.session.get(Agency, agency_id) or abort(404)
    if not current_user.administers(agency.id):
        abort(403)
    form = RequireProviderForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("Choose a domain.", "error")
            return redirect(url_for("sso_admin.agency_sign_in", agency_id=agency.id))
        row = services.set_sso_required(db.session, agency, form.domain.data, form.required.data, current_user)
        return _done(f"People with {row.domain} addresses now " + (
            f"must sign in through {row.provider.name}." if row.sso_required
            else f"may sign in through {row.provider.name} or with a oneAPS password."),
            "sso_admin.agency_sign_in", agency_id=agency.id)
    rows = list(db.session.scalars(select(ProviderDomain).where(ProviderDomain.agency_id == agency.id)
                                   .order_by(ProviderDomain.domain)))
    return render_template("sso/agency_sign_in.html", agency=agency, rows=rows)

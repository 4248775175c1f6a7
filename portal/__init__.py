"""oneAPS Opportunities: the Flask application factory.

Everything the app is made of is named here, so "go to definition" leads from the factory to it: the
blueprints, the periodic sweeps, the outbox's jobs, what an opportunity's moves do to its applications, what runs
after a commit, and the Celery app the worker runs. Features are imported inside `create_app`, never at module
level, so importing `portal.models` (a task, a migration) does not load the web app.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import PROJECT_ROOT, Settings
from portal.cookie_session import VerifiedOnceSessionInterface
from portal.extensions import csrf, db, limiter, login_manager, oauth
from portal import logs


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "portal" / "static"), instance_path=str(settings.instance_dir))
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=settings.cv_max_bytes + 512 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STRATEGY="moving-window",  # no double burst at a window boundary
        RATELIMIT_KEY_PREFIX=settings.extra.get("ratelimit_prefix", "oneaps"),
        # Redis keys (and limiter.reset()) confined to this portal, not every user of the same Redis.
        RATELIMIT_STORAGE_OPTIONS={"key_prefix": f"LIMITS-{settings.extra.get('ratelimit_prefix', 'oneaps')}"}
        if settings.ratelimit_storage_uri.startswith("redis") else {},
        # Redis down: limits are kept per process in memory until it is back, so sign-in still answers.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    if settings.trusted_proxies:
        # The client's own address (rate limits, audit) and scheme, from the headers our proxies add.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    logs.configure(settings)

    db.init_app(app)
    app.extensions["db"] = db
    app.session_interface = VerifiedOnceSessionInterface()
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    oauth.init_app(app)

    from portal import accounts, errors, security, static_files, templating
    from portal.ops import web as ops_web

    accounts.init_login(login_manager)
    errors.register_error_handlers(app)
    security.init_app(app)
    static_files.init_app(app)
    ops_web.init_app(app)
    templating.init_app(app)

    from portal.urls import RecordIdConverter

    app.url_map.converters["id"] = RecordIdConverter  # before any rule is added
    for blueprint in _blueprints():
        if blueprint.name == "devmail" and not settings.shows_dev_mail:
            continue
        app.register_blueprint(blueprint)

    from portal import cards, cli, listing, outbox, sweeps
    from portal.accounts import services as account_services
    from portal.admin import dormant
    from portal.approvals import sweeps as approval_sweeps
    from portal.notifications import digest
    from portal.opportunities import sweeps as opportunity_sweeps
    from portal.participation import cascade, date_changes, paperwork
    from portal.participation import sweeps as participation_sweeps
    from portal.privacy import export as data_export
    from portal.privacy import retention
    from portal.saved_searches import alerts

    cli.init_app(app)
    app.extensions["sweeps"] = sweeps.collect(opportunity_sweeps, approval_sweeps, participation_sweeps, digest,
                                              alerts, dormant, retention)
    app.extensions["outbox_handlers"] = outbox.Handlers(
        jobs={**paperwork.HANDLERS.jobs, **date_changes.HANDLERS.jobs,
              "password-reset": account_services.send_password_reset,
              "build-data-export": data_export.build},
        attachments=paperwork.HANDLERS.attachments)
    app.extensions["opportunity_cascade"] = cascade.CASCADE  # what an opportunity's moves do to its applications
    cards.init_app(app)

    import tasks  # the worker's tasks, bound to this app; portal/ imports tasks/ nowhere else

    tasks.bind(app, app.extensions["sweeps"])
    outbox.publish_after_commit(db.session_factory, tasks.mail.publish)
    listing.watch_listing(db.session_factory)
    return app


def _blueprints() -> list[Blueprint]:
    from portal.accounts import views as accounts
    from portal.admin import membership_views, people_views
    from portal.admin import views as admin
    from portal.api import pages as api_pages
    from portal.api import views as api
    from portal.applications import review_views  # noqa: F401
    from portal.applications import views as applications  # noqa: F401  (these two put routes on one blueprint)
    from portal.applications.blueprint import bp as applications_bp
    from portal.approvals import home_manager
    from portal.approvals import opportunities as approvals
    from portal.devmail import views as devmail
    from portal.help import views as help_pages
    from portal.home import views as home
    from portal.notifications import views as notifications
    from portal.opportunities import page_views, views  # noqa: F401  (both put routes on one blueprint)
    from portal.opportunities.blueprint import bp as opportunities_bp
    from portal.ops import system
    from portal.ops import web as ops_web
    from portal.participation import date_change_views  # noqa: F401  (routes on the participation blueprint)
    from portal.participation import feedback_views
    from portal.participation import views as participation
    from portal.privacy import corrections_views
    from portal.privacy import views as privacy
    from portal.questions import views as questions
    from portal.reports import views as reports
    from portal.saved_searches import views as saved_searches
    from portal.sso import admin_views as sso_admin
    from portal.sso import views as sso

    return [home.bp, accounts.bp, sso.bp, sso_admin.bp, help_pages.bp, devmail.bp, notifications.bp, admin.bp,
            people_views.bp, membership_views.bp, api.bp, api_pages.bp, opportunities_bp, saved_searches.bp,
            approvals.bp, home_manager.bp, applications_bp, participation.bp, feedback_views.bp, reports.bp, ops_web.bp,
            system.bp, privacy.bp, corrections_views.bp, questions.bp]

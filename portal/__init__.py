"""oneAPS Opportunities: the Flask application factory."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import PROJECT_ROOT, Settings
from portal.extensions import csrf, db, limiter, login_manager, oauth
from portal.ops import logs

BLUEPRINTS = [
    "portal.home.views",
    "portal.accounts.views",
    "portal.sso.views",
    "portal.sso.admin_views",
    "portal.help.views",
    "portal.devmail.views",
    "portal.notifications.views",
    "portal.admin.views",
    "portal.admin.membership_views",
    "portal.api.views",
    "portal.api.pages",
    "portal.opportunities.views",
    "portal.saved_searches.views",
    "portal.approvals.views",
    "portal.applications.views",
    "portal.reports.views",
    "portal.ops.web",
    "portal.ops.system",
    "portal.privacy.views",
    "portal.privacy.corrections_views",
]


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
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    oauth.init_app(app)

    from portal import accounts, errors, security, templating
    from portal.ops import web as ops_web

    accounts.init_login(login_manager)
    errors.register_error_handlers(app)
    security.init_app(app)
    ops_web.init_app(app)
    templating.init_app(app)

    import importlib

    from portal.urls import RecordIdConverter

    app.url_map.converters["id"] = RecordIdConverter  # before any rule is added
    for module in BLUEPRINTS:
        blueprint = importlib.import_module(module).bp
        if blueprint.name == "devmail" and not settings.shows_dev_mail:
            continue
        app.register_blueprint(blueprint)

    from portal import cli

    cli.init_app(app)

    from portal.opportunities import facet_cache
    from tasks import mail as mail_tasks
    from tasks.celery_app import bind_flask_app

    bind_flask_app(app)
    db.publish_outbox = mail_tasks.publish
    db.listing_changed = facet_cache.listing_changed
    return app

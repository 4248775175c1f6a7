"""Jinja filters and globals: Canberra dates, safe Markdown, labels."""
from __future__ import annotations

from datetime import date, datetime

import nh3
from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from portal import cards
from workflows.clock import CANBERRA

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre",
                "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_markdown(text: str | None) -> Markup:
    """Markdown typed by people, rendered then sanitised: no script, no style, no raw HTML."""
    html = _markdown.render(text or "")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean)


def canberra_date(value: date | datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(CANBERRA)
    return value.strftime(fmt)


def canberra_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(CANBERRA)
    return local.strftime("%-d %B %Y, %-I:%M %p").replace("AM", "am").replace("PM", "pm")


def remembered_url_for():
    """`url_for` for templates, remembering the URL of an endpoint without variables (the same on every request
    under the same root): the layout alone builds about twenty on every page, and building one walks the URL map.
    Anything with values (an id, a query, a static file's fingerprint, which follows edits) or a relative endpoint is
    built each time."""
    remembered: dict[tuple[str, str], str] = {}

    def build(endpoint: str, **values):
        if values or endpoint.startswith("."):
            return url_for(endpoint, **values)
        key = (endpoint, request.script_root)
        url = remembered.get(key)
        if url is None:
            url = remembered[key] = url_for(endpoint)
        return url
    return build


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(markdown=render_markdown, date=canberra_date, datetime=canberra_datetime)
    app.jinja_env.globals["url_for"] = remembered_url_for()
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {"site_header": site_header, "nav_links": _nav_links, **_settings_globals()}

    def _settings_globals():
        settings = current_app.config["SETTINGS"]
        return {"portal_name": PORTAL_NAME, "embedded_mode": settings.embedded,
                "dev_mail_page": settings.shows_dev_mail, "base_url": settings.portal_base_url}


PORTAL_NAME = "oneAPS Opportunities"

# (endpoint, label, who sees it): shown only once a feature registers the endpoint.
NAV = [
    ("opportunities.browse", "Find opportunities", "verified"),
    ("opportunities.mine", "My opportunities", "verified"),
    ("applications.mine", "My applications", "employee"),
    ("approvals.index", "Approvals", "verified"),
    ("admin.index", "Admin", "admin"),
    ("reports.dashboard", "Reports", "admin"),
]


def _nav_links(user=None) -> list[tuple[str, str]]:
    user = user if user is not None else current_user._get_current_object()
    if not user.is_authenticated or not user.is_verified:
        return []
    views = current_app.view_functions
    allowed = {"verified"}
    if not user.is_contractor:
        allowed.add("employee")
    if user.is_site_admin or user.administered_agency_ids:
        allowed.add("admin")
    return [(endpoint, label) for endpoint, label, who in NAV if endpoint in views and who in allowed]


def site_header(unread: int) -> Markup:
    """The header for this person on this page: kept for its links, whether they are signed in and verified, their
    unread count and which page is current (portal/cards.py), with this request's sign-out token. The person and the
    request are looked up once (each use of Flask's proxies looks them up again)."""
    user, here = current_user._get_current_object(), request._get_current_object()
    links = tuple(_nav_links(user))
    authenticated = user.is_authenticated
    verified = authenticated and user.is_verified
    key = cards.key("site-header", links, authenticated, verified, unread, here.endpoint, here.blueprint)
    return cards.with_token([cards.fragment(key, lambda: cards.render(
        "_site_header.html", links=links, authenticated=authenticated, verified=verified, unread=unread,
        current_endpoint=here.endpoint, current_blueprint=here.blueprint, portal_name=PORTAL_NAME,
        token=cards.TOKEN_PLACEHOLDER))])

"""Accounts: registration, verification, sign-in with lockout, password reset, profile."""
from __future__ import annotations

from functools import cache

from flask_login import LoginManager
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload, with_expression

from portal import page_rows
from portal.extensions import db
from portal.models import User
from portal.models.base import joined_ids
from portal.models.users import agency_admins


def init_login(manager: LoginManager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = "Sign in to see that page."
    manager.login_message_category = "info"

    @manager.user_loader
    def _load(identifier: str) -> User | None:
        """Ids carry a session version, so resetting a password signs out every other session."""
        try:
            user_id, session_version = (int(part) for part in identifier.split(":"))
        except ValueError:
            return None
        user = signed_in_user(user_id)
        if user is None or user.session_version != session_version or user.disabled_at is not None:
            return None
        return user


def signed_in_user(user_id: int) -> User | None:
    """The person behind the session in one statement, with what every page's header and rules ask (the ids of the
    agencies they administer, the notice and announcement counts) and the listing generation
    the page's kept parts are checked against (portal/opportunities/facet_cache.py); and, on a page that reads one
    row of its own, that row too (portal/page_rows.py)."""
    page = page_rows.for_this_request()
    if page is None:
        return db.session.execute(_signed_in_user_statement(), {"user_id": user_id}).scalar_one_or_none()
    row = db.session.execute(_with_page_row(page[0]), {"user_id": user_id, **page[1]}).one_or_none()
    if row is None:
        return None
    page_rows.carry(page[0], row[1:])
    return row[0]


@cache
def _with_page_row(page: page_rows.PageRow):
    return page.extend(_signed_in_user_statement())


@cache
def _signed_in_user_statement():
    """Built once: putting the counting subqueries together costs more Python than running them."""
    from portal.notices import header_figures
    from portal.listing import generation_column

    # Their agency and the agencies they administer are not joined: only a few pages show the names (profile, moving
    # agency, admin), and those read them when they do; the ids every page's rules ask for come as one text column.
    administered = joined_ids(agency_admins.c.agency_id, agency_admins.c.user_id == User.id)
    return select(User).where(User.id == bindparam("user_id")).options(
        lazyload(User.agency), *header_figures(), with_expression(User.administered_agency_list, administered),
        with_expression(User.listing_generation, generation_column()))

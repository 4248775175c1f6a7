"""Accounts: registration, verification, sign-in with lockout, password reset, profile."""
from __future__ import annotations

from flask_login import LoginManager

from portal.extensions import db
from portal.models import User


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
        user = db.session.get(User, user_id)
        if user is None or user.session_version != session_version or user.disabled_at is not None:
            return None
        return user

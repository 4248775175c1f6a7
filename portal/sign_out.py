"""Signing out at the provider too (RP-initiated logout). At sign-in the provider's end-session address
is kept in the session; the sign-out form sends the person there."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import session

SIGN_OUT_AT = "sign_out_at"


def take_sign_out_url() -> str | None:
    """Where to go after the portal's own sign-out, once (the session is about to end)."""
    return session.pop(SIGN_OUT_AT, None)


def form_action_origin() -> str | None:
    """The provider's origin for this session: the browser checks form-action on the redirect that
    follows the sign-out form, so the page's policy must allow it."""
    target = session.get(SIGN_OUT_AT)
    if not target:
        return None
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}"

"""The opportunities blueprint, shared by the modules that put routes on it (views: search, posting and managing;
page_views: an opportunity's own page); the app factory imports both before registering it."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal.models.opportunities import (CLEARANCES, COMMITMENT_BANDS, COMMITMENT_KINDS, OPPORTUNITY_KINDS, STATES,
                                         WORK_MODES)

bp = Blueprint("opportunities", __name__, url_prefix="/opportunities")


@bp.app_context_processor
def _labels() -> dict:
    """The words for stored codes, for every page that shows an opportunity (approvals too)."""
    return {"kinds": OPPORTUNITY_KINDS, "modes": WORK_MODES, "bands": COMMITMENT_BANDS, "clearances": CLEARANCES,
            "commitment_kinds": COMMITMENT_KINDS, "states": STATES}


def signed_in_user():
    return current_user._get_current_object()

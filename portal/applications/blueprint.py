"""The applications blueprint, shared by the two view modules that put routes on it (views: applying and
tracking; review_views: the host's review of applicants); the app factory imports both before registering it."""
from __future__ import annotations

from flask import Blueprint

from portal.models.applications import STATES as APPLICATION_STATES
from portal.models.opportunities import CLEARANCES, COMMITMENT_BANDS, COMMITMENT_KINDS, WORK_MODES

bp = Blueprint("applications", __name__)


@bp.app_context_processor
def _labels() -> dict:
    """Words for stored codes, for this feature's templates and the partials other pages include."""
    return {"opportunity_labels": {"modes": WORK_MODES, "commitment": COMMITMENT_KINDS, "bands": COMMITMENT_BANDS,
                                   "clearances": CLEARANCES},
            "application_state_labels": APPLICATION_STATES}

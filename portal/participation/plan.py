"""What the mobility plan (the informal arrangement) says, gathered from what the portal already holds.

Each value is worked out here once and handed to templates/documents/arrangement.html, which holds the wording:
the weekly hours and share come from workflows.time_share, the mid-point review from workflows.calendar, and every
date is a Canberra date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Application, Arrangement
from portal.models.opportunities import CLEARANCES, COMMITMENT_KINDS, WORK_MODES
from portal.models.users import APS_CLASSIFICATIONS
from workflows import clock, time_share
from workflows.calendar import midpoint_check_in


@dataclass(frozen=True)
class Schedule:
    """The agreed schedule: when the participant said they can work, what the home manager attached, and how much
    of a week the opportunity's commitment takes."""
    availability: str | None
    conditions: str | None
    commitment: str
    place: str
    hours_a_week: str | None  # "7.5", None when the opportunity states no amount
    share: str | None  # "20 %"


def place_words(application: Application) -> str:
    o = application.opportunity
    place = WORK_MODES[o.work_mode]
    if o.work_mode != "remote":
        place += f" at {o.host_address or 'the host office'}" + (f", {o.location_city}" if o.location_city else "")
    return place


def schedule(application: Application, start: date | None, end: date | None) -> Schedule:
    o = application.opportunity
    per_week = time_share.hours_a_week(o.commitment_kind, o.commitment_amount, start, end)
    share = time_share.share_of_week(o.commitment_kind, o.commitment_amount, start, end)
    return Schedule(
        availability=application.availability, conditions=application.manager_conditions,
        commitment=(f"{o.commitment_amount} {COMMITMENT_KINDS[o.commitment_kind]}" if o.commitment_amount
                    else "to be agreed"),
        place=place_words(application),
        hours_a_week=None if per_week is None else f"{round(per_week, 1):g}",
        share=None if per_week is None else time_share.as_percent(share))


def arrangement_context(application: Application, arrangement: Arrangement, opportunity_link: str,
                        home_manager_title: str | None) -> dict:
    """Everything arrangement.html prints."""
    o, person = application.opportunity, application.applicant
    return {
        "application": application, "arrangement": arrangement, "opportunity": o, "person": person,
        "host": o.owner, "opportunity_link": opportunity_link, "home_manager_title": home_manager_title,
        "issued": clock.canberra_today(),
        "classification": APS_CLASSIFICATIONS.get(person.aps_classification or "", None),
        "clearance_required": CLEARANCES[o.clearance],
        "schedule": schedule(application, arrangement.start_date, arrangement.end_date),
        "midpoint": midpoint_check_in(arrangement.start_date, arrangement.end_date),
    }


def certificate_context(application: Application, reference: str) -> dict:
    """Everything certificate.html prints; completion is the Canberra day it was marked."""
    o = application.opportunity
    return {"application": application, "opportunity": o, "person": application.applicant, "reference": reference,
            "completed": clock.canberra_date(application.completed_at or clock.utcnow())}

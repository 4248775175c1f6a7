"""What an opportunity's move does to the applications made to it, in the same transaction: cancelling it cancels
every live application, completing it completes the participations whose work is done, and new dates reissue the
confirmed participants' arrangements.

An application is made to an opportunity, so the applications and participation features sit above this one and
it may not import them. The app factory hands the opportunity services the functions that carry these moves out,
the way it hands the outbox its jobs: `create_app` sets `app.extensions["opportunity_cascade"]` to
`portal.participation.cascade.CASCADE`, which is where each field below is filled.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app
from sqlalchemy.orm import Session

from portal.models import Application, Opportunity, User
from workflows import Actor


@dataclass(frozen=True)
class Cascade:
    # (session, opportunity, actor who cancelled it, reason) -> how many applications were cancelled
    cancel_live_applications: Callable[[Session, Opportunity, Actor, str | None], int]
    # (session, the participations the host marked done, the host, why early) -> None
    complete_participations: Callable[[Session, list[Application], User, str | None], None]
    # (session, opportunity whose dates changed) -> None
    reissue_arrangements: Callable[[Session, Opportunity], None]


def cascade() -> Cascade:
    """The cascade the app factory gave the running app."""
    return current_app.extensions["opportunity_cascade"]

"""The registry of periodic sweeps. Each sweep is set-based SQL, idempotent, and says what it did.

A sweep takes (session, dry_run) and returns one line per message it queued (or would queue).
Feature modules register theirs with @sweep("name"); MODULES lists where they live.
"""
from __future__ import annotations

import importlib
from typing import Callable

from sqlalchemy.orm import Session

Sweep = Callable[[Session, bool], list[str]]
SWEEPS: dict[str, Sweep] = {}
MODULES: list[str] = [
    "portal.notifications.digest",
    "portal.admin.dormant",
    "portal.opportunities.sweeps",
    "portal.applications.sweeps",
]


def sweep(name: str) -> Callable[[Sweep], Sweep]:
    def decorator(function: Sweep) -> Sweep:
        SWEEPS[name] = function
        return function
    return decorator


def load_all() -> dict[str, Sweep]:
    for module in MODULES:
        importlib.import_module(module)
    return SWEEPS


def sweep_names() -> list[str]:
    return sorted(load_all())

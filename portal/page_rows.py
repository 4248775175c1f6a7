"""A page's own row, read in the statement that loads the signed-in person.

Every signed-in page runs the person's statement (portal/accounts). A page whose own reading is one row (the
opportunity page: the opportunity, the viewer's application and saved state, the places taken) registers how to add
that row to the person's statement, and the person is then loaded with it: one statement and one round trip to the
database instead of two. Under load on shared cores a round trip costs more than the statement itself.

The row is carried for the request that loaded the person and taken once by the page (`taken`); a page asked for
outside that request (a form sent back with its errors, a test) reads its row itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import g, has_request_context, request
from sqlalchemy import Row, Select


@dataclass(frozen=True)
class PageRow:
    """How one endpoint's row joins the person's statement. `extend` adds the page's entities, joins and loader
    options to it; its bound parameters are named after the endpoint's URL arguments (`parameters`)."""

    endpoint: str
    extend: Callable[[Select], Select]
    parameters: tuple[str, ...]


_PAGES: dict[str, PageRow] = {}


def register(endpoint: str, extend: Callable[[Select], Select], *parameters: str) -> None:
    """Read `endpoint`'s row in the person's statement (a feature calls this when its views are imported)."""
    _PAGES[endpoint] = PageRow(endpoint, extend, parameters)


def for_this_request() -> tuple[PageRow, dict] | None:
    """The page row this request's endpoint reads with the person, and its parameters from the URL; None for any
    other endpoint, or outside a request."""
    if not has_request_context():
        return None
    page = _PAGES.get(request.endpoint or "")
    arguments = request.view_args or {}
    if page is None or any(name not in arguments for name in page.parameters):
        return None
    return page, {name: arguments[name] for name in page.parameters}


def carry(page: PageRow, row: Row | tuple) -> None:
    """Keep the page's part of the person's row for this request."""
    g.page_row = (page.endpoint, tuple(row))


def taken() -> tuple | None:
    """The row the person's statement carried for this request's page, once; None when there is none (the page reads
    it itself)."""
    carried = g.pop("page_row", None) if has_request_context() else None
    return carried[1] if carried is not None and carried[0] == request.endpoint else None

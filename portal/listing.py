"""The listing generation: one number in the database (`ListingGeneration`) that moves in the same transaction as
any change to what the listing and opportunity pages show of everyone's opportunities (an opportunity, its skills, an
agency, a skill, an owner's name). A page part kept under the number it was made in (portal/opportunities/
facet_cache.py) is out of date exactly when such a change is committed, by any process; the statement that loads the
signed-in person carries the number (`generation_column`), so checking costs no statement of its own.
"""
from __future__ import annotations

from itertools import chain
from weakref import WeakSet

from flask import g, has_request_context
from sqlalchemy import ScalarSelect, Select, event, insert, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from portal.extensions import db
from portal.models import Agency, ListingGeneration, Opportunity, Skill, User


def _generation() -> Select:
    return select(ListingGeneration.value).where(ListingGeneration.id == 1)


def generation_column() -> ScalarSelect:
    """The listing generation as a column, for a statement a page runs anyway (the signed-in person's)."""
    return _generation().scalar_subquery()


def listing_generation() -> int:
    """The listing generation this request reads by: the one the signed-in person's statement carried, else read
    once; outside a request, read now."""
    if not has_request_context():
        return _read_generation()
    if "listing_generation" not in g:
        user = g.get("_login_user")
        carried = inspect(user).dict.get("listing_generation") if isinstance(user, User) else None
        g.listing_generation = carried if carried is not None else _read_generation()
    return g.listing_generation


def _read_generation() -> int:
    return db.session.scalar(_generation()) or 0


def move_generation(session: Session) -> None:
    """Move the generation in `session`'s transaction (the row is made if a test emptied the table)."""
    moved = session.execute(update(ListingGeneration).where(ListingGeneration.id == 1)
                            .values(value=ListingGeneration.value + 1).execution_options(synchronize_session=False))
    if moved.rowcount == 0:
        session.execute(insert(ListingGeneration).values(id=1, value=1))


def watch_listing(factory: sessionmaker[Session]) -> None:
    """Note commits by sessions of `factory` that change what browse lists (opportunities, their skills, agency
    and skill names), by unit of work or by bulk UPDATE/DELETE, and move the listing generation once such a
    commit is done. The app factory calls this; a second call for the same factory changes nothing."""
    if factory in _WATCHED:
        return
    _WATCHED.add(factory)
    listed = (Opportunity, Agency, Skill)

    def changes_listing(obj) -> bool:
        """An opportunity, skill or agency; or a person's name, which an opportunity's page shows as its owner."""
        return isinstance(obj, listed) or (isinstance(obj, User) and inspect(obj).attrs.name.history.has_changes())

    @event.listens_for(factory, "after_flush")
    def _note_flush(session: Session, _context) -> None:
        changed = chain(session.new, session.dirty, session.deleted)
        if any(changes_listing(obj) for obj in changed):
            session.info["listing_changed"] = True

    @event.listens_for(factory, "do_orm_execute")
    def _note_bulk(state) -> None:
        mapper = state.bind_mapper
        if (state.is_update or state.is_delete) and mapper is not None and issubclass(mapper.class_, listed):
            state.session.info["listing_changed"] = True

    @event.listens_for(factory, "before_commit")
    def _move_generation(session: Session) -> None:
        """Last before the COMMIT, so the row's lock is held for no longer than the commit takes."""
        session.flush()
        if session.info.pop("listing_changed", False):
            move_generation(session)

    @event.listens_for(factory, "after_rollback")
    def _forget_listing(session: Session) -> None:
        session.info.pop("listing_changed", None)


_WATCHED: WeakSet[sessionmaker] = WeakSet()

"""The listing cache: the browse page's facet counts, facet list and (with Redis) whole result pages, and (with
Redis) each opportunity page's public body.

Why: counting every facet over the whole matched set costs 10-30 ms of PostgreSQL time per page at
100,000 opportunities, rendering the facet list is most of the page's HTML, and the same few searches
are asked over and over by everyone in an agency.

What keeps it right: every key carries the *listing generation*, a counter bumped after any commit that
changes an opportunity, a skill, an agency or a person's name (`watch_listing`, attached by the app factory),
so a change is listed on the next request, and entries also expire after `seconds` (30 by default) in case a
bump was lost. Keys also carry what the content depends on: the normalised words, the filters, the viewer's
agency (agency-only opportunities) and today's date in Canberra (deadlines); pages add sort and page number;
an opportunity's body, its id and version (who may see it is decided before the body is looked up).

Where: in Redis when REDIS_URL is set, so every gunicorn worker and the Celery worker share entries and
the generation. Otherwise in this process, where a change made by another process (a sweep in the
worker) is only seen when entries expire: so without Redis only the counts and the facet list are
cached (they may lag by up to `seconds`) and results and opportunity bodies are always rendered fresh.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from datetime import date
from itertools import chain
from typing import Any, Callable, Protocol
from weakref import WeakSet

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from portal.models import Agency, Opportunity, Skill, User

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 30
MAX_LOCAL_ENTRIES = 2048


class _Store(Protocol):
    shared: bool

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, seconds: int) -> None: ...

    def increment(self, key: str) -> None: ...

    def counter(self, key: str) -> str | None: ...

    def counter_and_get(self, counter: str, key: str) -> tuple[str | None, str | None]: ...


class _LocalStore:
    """In-process store with expiry and a size bound (oldest written goes first); thread safe for gthread."""

    shared = False

    def __init__(self, limit: int = MAX_LOCAL_ENTRIES, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit
        self._counters: dict[str, int] = {}

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self._now():
                del self._entries[key]
                return None
            return entry[1]

    def set(self, key: str, value: str, seconds: int) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (self._now() + seconds, value)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def increment(self, key: str) -> None:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1

    def counter(self, key: str) -> str | None:
        with self._lock:
            return str(self._counters[key]) if key in self._counters else None

    def counter_and_get(self, counter: str, key: str) -> tuple[str | None, str | None]:
        return self.counter(counter), self.get(key)


class _RedisStore:
    """Shared by every worker; a Redis failure only costs the cache, never the page."""

    shared = True

    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=0.05, socket_connect_timeout=0.05)

    def get(self, key: str) -> str | None:
        try:
            value = self._client.get(key)
        except Exception:  # noqa: BLE001 - an unavailable cache falls back to counting
            return None
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, seconds: int) -> None:
        try:
            self._client.setex(key, seconds, value)
        except Exception:  # noqa: BLE001 - see get
            pass

    def increment(self, key: str) -> None:
        try:
            self._client.incr(key)
        except Exception:  # noqa: BLE001 - entries still expire after `seconds`
            pass

    counter = get

    def counter_and_get(self, counter: str, key: str) -> tuple[str | None, str | None]:
        """Both in one round trip (MGET)."""
        try:
            values = self._client.mget([counter, key])
        except Exception:  # noqa: BLE001 - see get
            return None, None
        return tuple(value.decode() if value is not None else None for value in values)  # type: ignore[return-value]


class FacetCache:
    """Facet rows (facet, value, label, count) by search; `seconds` of 0 turns it off."""

    def __init__(self, seconds: int = DEFAULT_SECONDS, redis_url: str | None = None, prefix: str = "oneaps") -> None:
        self.seconds = seconds
        self.prefix = prefix
        self._store: _Store = _RedisStore(redis_url) if redis_url and seconds > 0 else _LocalStore()

    @property
    def caches_pages(self) -> bool:
        """Whole result pages only where every process sees the same generation (see the module docstring)."""
        return self.seconds > 0 and self._store.shared

    def generation(self) -> str:
        return (self._store.counter(f"{self.prefix}:listing-generation") or "0") if self.seconds > 0 else ""

    def listing_changed(self) -> None:
        """Called after a commit that changed what browse lists: every entry made before is passed over."""
        if self.seconds > 0:
            self._store.increment(f"{self.prefix}:listing-generation")

    def key(self, parts: dict[str, Any], agency_id: int | None, today: date, kind: str = "facets",
            generation: bool = True) -> str:
        """A stable digest of what the entry depends on, in the current listing generation (or, with `generation`
        False, for `get_current` and `put_current`, which check the generation in the same round trip)."""
        text = json.dumps({"parts": parts, "agency": agency_id, "today": today.isoformat(),
                           "generation": self.generation() if generation else None}, sort_keys=True)
        return f"{self.prefix}:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"

    def record_key(self, kind: str, record_id: int, version: int) -> str:
        """Where something rendered from one record alone is kept (an opportunity's public body), by the record's
        version; kept with `put_current`, so the listing generation (its skills', agency's and owner's names)
        is checked by `get_current`."""
        return f"{self.prefix}:{kind}:{record_id}:{version}"

    def get_current(self, key: str) -> tuple[str, str | None]:
        """The listing generation now, and the text kept under `key` if it was made in this generation: one
        round trip to Redis, where `key` + `get_text` would take two."""
        if not (self.seconds > 0 and key):
            return "", None
        generation, value = self._store.counter_and_get(f"{self.prefix}:listing-generation", key)
        made_in, _, text = (value or "").partition("\n")
        return generation or "0", text if value is not None and made_in == (generation or "0") else None

    def put_current(self, key: str, generation: str, text: str) -> None:
        """Keep `text`, made from what was read in `generation` (read before it was made, so a change committed
        meanwhile leaves the entry already out of date)."""
        self.put_text(key, f"{generation}\n{text}")

    def get(self, key: str) -> list[tuple] | None:
        cached = self.get_lazily(key)
        return cached[1]() if cached is not None else None

    def get_lazily(self, key: str) -> tuple[int, Callable[[], list[tuple]]] | None:
        """The total at once and the rows only when asked for: a page whose facet list is cached as HTML
        never parses them."""
        value = self.get_text(key)
        total, _, rows = (value or "").partition("\n")
        if not total.isdigit():  # nothing stored (or an entry in an older layout)
            return None
        return int(total), lambda: [tuple(row) for row in json.loads(rows)]

    def put(self, key: str, rows: list) -> None:
        self.put_text(key, f"{total_of(rows)}\n{json.dumps([list(row) for row in rows])}")

    def get_text(self, key: str) -> str | None:
        """Any text kept under the same rules, such as the facet list already rendered for this key."""
        return self._store.get(key) if self.seconds > 0 and key else None

    def put_text(self, key: str, value: str) -> None:
        if self.seconds > 0 and key:
            self._store.set(key, value, self.seconds)


def total_of(rows: list) -> int:
    """The count of the whole matched set, which the counting statement returns as its "total" row."""
    return next((count for facet, _, _, count in rows if facet == "total"), 0)


def for_app(app) -> FacetCache:
    """The app's one cache, made on first use. Off under test settings (tests count right after writing)
    unless `facet_cache_seconds` is given in Settings.extra."""
    cache = app.extensions.get("opportunity_facet_cache")
    if cache is None:
        settings = app.config["SETTINGS"]
        seconds = int(settings.extra.get("facet_cache_seconds", 0 if settings.testing else DEFAULT_SECONDS))
        cache = FacetCache(seconds, settings.redis_url, settings.extra.get("ratelimit_prefix", "oneaps"))
        app.extensions["opportunity_facet_cache"] = cache
    return cache


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

    @event.listens_for(factory, "after_commit")
    def _tell(session: Session) -> None:
        if session.info.pop("listing_changed", False) and has_app_context():
            try:
                for_app(current_app).listing_changed()
            except Exception:  # the cache's entries expire anyway
                log.exception("could not note a listing change")

    @event.listens_for(factory, "after_rollback")
    def _forget_listing(session: Session) -> None:
        session.info.pop("listing_changed", None)


_WATCHED: WeakSet[sessionmaker] = WeakSet()

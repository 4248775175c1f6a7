"""The listing cache: the browse page's facet counts, facet list and whole result pages, and each opportunity
page's public body.

Why: counting every facet over the whole matched set costs 10-30 ms of PostgreSQL time per page at
100,000 opportunities, rendering the facet list is most of the page's HTML, and the same few searches
are asked over and over by everyone in an agency.

What keeps it right: every key carries the *listing generation*, a number in the database (`ListingGeneration`)
moved in the same transaction as any change to an opportunity, a skill, an agency or a person's name
(`portal.listing.watch_listing`, attached by the app factory), so a change is listed on the next request and a bump
is never lost. The statement that loads the signed-in person reads the generation too, so a page checks its
entries without a statement or a round trip of its own. Keys also carry what the content depends on: the normalised
words, the filters, the viewer's agency (agency-only opportunities) and today's date in Canberra (deadlines); pages
add sort and page number; an opportunity's body, its id and version (who may see it is decided before the body is
looked up).

Where: facet counts and the facet list in Redis when REDIS_URL is set, so every gunicorn worker and the Celery
worker share them (otherwise in this process), expiring after `seconds` (30 by default) to bound the store.
Rendered pages and bodies in this process (`portal.cards.CardCache`, least recently used out first): they are
looked up on every request, and one in this process's memory costs no round trip to Redis.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from datetime import date
from typing import Any, Callable, Protocol

from markupsafe import Markup

from portal import cards
from portal.listing import listing_generation

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 30
MAX_LOCAL_ENTRIES = 2048
PAGES_KEPT = 500  # result pages are 20-60 KB: at most about 30 MB a process


class _Store(Protocol):
    shared: bool

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, seconds: int) -> None: ...


class _LocalStore:
    """In-process store with expiry and a size bound (oldest written goes first); thread safe for gthread."""

    shared = False

    def __init__(self, limit: int = MAX_LOCAL_ENTRIES, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

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


class FacetCache:
    """Facet rows (facet, value, label, count) by search, and rendered pages; `seconds` of 0 turns it off."""

    def __init__(self, seconds: int = DEFAULT_SECONDS, redis_url: str | None = None, prefix: str = "oneaps") -> None:
        self.seconds = seconds
        self.prefix = prefix
        self._store: _Store = _RedisStore(redis_url) if redis_url and seconds > 0 else _LocalStore()
        self._pages = cards.CardCache(PAGES_KEPT)

    def generation(self) -> str:
        return str(listing_generation()) if self.seconds > 0 else ""

    def key(self, parts: dict[str, Any], agency_id: int | None, today: date, kind: str = "facets") -> str:
        """A stable digest of what the entry depends on, in the current listing generation."""
        text = json.dumps({"parts": parts, "agency": agency_id, "today": today.isoformat(),
                           "generation": self.generation()}, sort_keys=True)
        return f"{self.prefix}:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"

    def page(self, key: tuple, render: Callable[[], str]) -> Markup:
        """The page part kept under `key` in the current listing generation, or `render()`'s, kept. `key` holds
        what else the part depends on (an opportunity's id and version; a search's `key`)."""
        if self.seconds <= 0:
            return Markup(render())
        return cards.fragment(cards.key("page", self.generation(), *key), lambda: Markup(render()), self._pages)

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

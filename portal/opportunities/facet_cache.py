"""A short-lived cache of the browse page's facet counts, the most expensive statement on the page.

Why: counting every facet over the whole matched set costs 10-30 ms of PostgreSQL time per page at
100,000 opportunities, and the same few searches are asked over and over. The results themselves
(the page of opportunities, saved flags) are always read fresh; only the counts beside the filters
and the total above the results may be up to `seconds` old (30 by default). A new opportunity can
therefore appear in the list a little before the counts include it. The facet list rendered from those
counts is kept beside them under the same rules (it is most of the page's HTML and rendering time).

The key is everything the counts depend on: the normalised words, the filters (not sort or page),
the viewer's agency (agency-only opportunities) and today's date in Canberra (deadlines). Stored in
Redis when REDIS_URL is set, so every gunicorn worker shares it; otherwise in this process.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from datetime import date
from typing import Any, Callable, Protocol

DEFAULT_SECONDS = 30
MAX_LOCAL_ENTRIES = 2048


class _Store(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, seconds: int) -> None: ...


class _LocalStore:
    """In-process store with expiry and a size bound (oldest written goes first); thread safe for gthread."""

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
    """Facet rows (facet, value, label, count) by search; `seconds` of 0 turns it off."""

    def __init__(self, seconds: int = DEFAULT_SECONDS, redis_url: str | None = None, prefix: str = "oneaps") -> None:
        self.seconds = seconds
        self.prefix = prefix
        self._store: _Store = _RedisStore(redis_url) if redis_url and seconds > 0 else _LocalStore()

    def key(self, parts: dict[str, Any], agency_id: int | None, today: date) -> str:
        """A stable digest of what the counts depend on."""
        text = json.dumps({"parts": parts, "agency": agency_id, "today": today.isoformat()}, sort_keys=True)
        return f"{self.prefix}:facets:{hashlib.sha256(text.encode()).hexdigest()}"

    def get(self, key: str) -> list[tuple] | None:
        value = self.get_text(key)
        return [tuple(row) for row in json.loads(value)] if value is not None else None

    def put(self, key: str, rows: list) -> None:
        self.put_text(key, json.dumps([list(row) for row in rows]))

    def get_text(self, key: str) -> str | None:
        """Any text kept under the same rules, such as the facet list already rendered for this key."""
        return self._store.get(key) if self.seconds > 0 and key else None

    def put_text(self, key: str, value: str) -> None:
        if self.seconds > 0 and key:
            self._store.set(key, value, self.seconds)


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

"""Cards rendered once for what they show, kept in this process: My applications' application cards and the
applicants list's applicant cards (the two pages that repeat one block for each of many rows), and the opportunity
page's blank form for asking the owners a question.

The rule for both: a card is kept under a *key* that holds every value it shows or is worked out from, read in the
page's own statement. Any change to any of them is a new key, so the next request renders the card afresh: nothing
is ever invalidated, a change made by another process or by a bulk UPDATE is seen as soon as it is committed, and
two cards share an entry only when they would be the same. Personal data stays in this process's memory (not
Redis); the cache is bounded, least recently used out first. A form token is never kept: a card is rendered with
`TOKEN_PLACEHOLDER` where the token goes, and `with_token` puts this request's token in.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Callable

from flask import current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

CARDS_KEPT = 10_000  # about 1 KB each: ten megabytes a process at most
TOKEN_PLACEHOLDER = "csrf-token-of-this-request"


class CardCache:
    """Rendered cards by key, least recently used out first. Shared by a process's threads."""

    def __init__(self, size: int = CARDS_KEPT) -> None:
        self.size = size
        self._cards: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            card = self._cards.get(key)
            if card is not None:
                self._cards.move_to_end(key)
            return card

    def put(self, key: tuple, card: Markup) -> None:
        with self._lock:
            self._cards[key] = card
            self._cards.move_to_end(key)
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)

    def __len__(self) -> int:
        return len(self._cards)

    def count(self, kind: str) -> int:
        """How many cards of one kind are kept (`key`'s first value)."""
        with self._lock:
            return sum(1 for key in self._cards if key[0] == kind)


def init_app(app) -> None:
    app.extensions["cards"] = CardCache()


def kept() -> CardCache:
    return current_app.extensions["cards"]


def key(kind: str, *values) -> tuple:
    """A card's key: its kind, the mount point its links are built for, and what it shows."""
    return kind, request.script_root, *values


def fragment(key: tuple, render: Callable[[], Markup], cards: CardCache | None = None) -> Markup:
    """The card kept under `key` (in `cards`, else the app's), or `render()`'s, kept. Only for a card rendered from
    exactly what its key holds."""
    cards = cards if cards is not None else kept()
    card = cards.get(key)
    if card is None:
        card = render()
        token = g.get("csrf_token")  # Flask-WTF's token for this request, once one has been made
        if token and token in card:
            raise RuntimeError(f"{key[0]}: a kept card must hold TOKEN_PLACEHOLDER, never a request's token")
        cards.put(key, card)
    return card


def values_of(record) -> tuple | None:
    """A mapped object's column values, for a key (None for no object)."""
    return None if record is None else tuple(getattr(record, column.key) for column in record.__table__.c)


def render(template: str, **context) -> Markup:
    """One card, from its partial and exactly the values its key holds."""
    return Markup(current_app.jinja_env.get_template(template).render(**context))


def with_token(cards: list[Markup]) -> Markup:
    """The cards one after another, with this request's form token where each card's forms need it."""
    html = "\n".join(cards)
    return Markup(html.replace(TOKEN_PLACEHOLDER, request_token()) if TOKEN_PLACEHOLDER in html else html)


_SIGNED_TOKENS = CardCache()


def request_token() -> str:
    """This request's form token (Flask-WTF's `generate_csrf`, which every form on the page then shares). Flask-WTF
    signs the session's secret token afresh on every request, at about a sixth of a simple page's Python; with no
    time limit on tokens (WTF_CSRF_TIME_LIMIT=None) one signature of it is as good as another, so it is signed once
    a session and kept in this process (bounded, least recently used out first). A new session, or a secret key
    changed, is a new entry."""
    token = g.get("csrf_token")
    if token is None and current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:  # each signature ages
        token = generate_csrf()
    if token is None:
        secret = session.get("csrf_token")
        token = _SIGNED_TOKENS.get((current_app.secret_key, secret)) if secret else None
        if token is None:
            token = generate_csrf()
            _SIGNED_TOKENS.put((current_app.secret_key, session["csrf_token"]), token)
        g.csrf_token = token
    return token

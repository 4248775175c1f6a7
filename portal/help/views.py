"""The help centre: Markdown pages shipped with the portal."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, render_template

bp = Blueprint("help", __name__, url_prefix="/help")
PAGES = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str
    order: int
    body: str


def _parse(path: Path) -> HelpPage:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---"):
        _, header, body = text.split("---", 2)
        for line in header.strip().splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return HelpPage(path.stem, meta.get("title", path.stem), meta.get("summary", ""),
                    int(meta.get("order", 99)), body.strip())


@lru_cache(maxsize=1)
def all_pages() -> tuple[HelpPage, ...]:
    return tuple(sorted((_parse(p) for p in PAGES.glob("*.md")), key=lambda page: page.order))


@bp.route("/")
def index():
    return render_template("help/index.html", pages=all_pages())


@bp.route("/<slug>")
def page(slug: str):
    found = next((p for p in all_pages() if p.slug == slug), None)
    if found is None:
        abort(404, "There is no help page at this address.")
    return render_template("help/page.html", page=found, pages=all_pages())

"""Helpers shared by the browser (Playwright + axe-core) tests.

This is a plain module on purpose: the pytest fixtures that use it live in a
conftest, so these helpers stay importable and testable on their own.

Why things are the way they are:

* Playwright cannot download its own browser build here (only PyPI, Debian
  and npm are reachable), so we drive Debian's ``chromium`` package instead.
* axe-core comes from npm, pinned in ``tests/browser/package.json`` and its
  lock file; install it with ``npm ci --prefix tests/browser``.
* Our pages send a strict Content-Security-Policy (``script-src 'self'``, no
  ``'unsafe-inline'``/``'unsafe-eval'``), so a ``<script>`` tag cannot be used
  to inject axe. ``page.evaluate`` runs through the DevTools protocol, which
  the page's CSP does not govern, so axe is injected that way and the CSP
  under test stays switched on (no ``bypass_csp``).
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from workflows import clock

if TYPE_CHECKING:  # Playwright is a test-only dependency; import it lazily.
    from playwright.sync_api import Browser, Page, Playwright

__all__ = [
    "AXE_PATH",
    "CHROMIUM_ARGS",
    "CHROMIUM_PATH",
    "REPO_ROOT",
    "SCREENSHOT_DIR",
    "WCAG_TAGS",
    "assert_accessible",
    "fill_opportunity",
    "axe_source",
    "axe_violations",
    "format_violations",
    "launch_browser",
    "save_screenshot",
    "sign_in",
    "sign_out",
    "visit",
]

#: Debian's Chromium (``apt-get install -y chromium``); Playwright's own
#: browser download is not reachable from our machines or CI.
CHROMIUM_PATH: Final[str] = "/usr/bin/chromium"

#: Flags for a quiet, deterministic headless run as root in a container:
#: no sandbox (root, no user namespaces), no GPU, no background traffic to
#: Google services, and /tmp instead of a possibly small /dev/shm.
CHROMIUM_ARGS: Final[list[str]] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

_HERE: Final[Path] = Path(__file__).resolve().parent
#: Repository root (this file is ``<repo>/tests/browser/support.py``).
REPO_ROOT: Final[Path] = _HERE.parents[1]
#: Minified axe-core installed by ``npm ci --prefix tests/browser``.
AXE_PATH: Final[Path] = _HERE / "node_modules" / "axe-core" / "axe.min.js"
#: Where screenshots go; ``test-artifacts/`` is git-ignored and kept by CI.
SCREENSHOT_DIR: Final[Path] = REPO_ROOT / "test-artifacts" / "screenshots"

#: The WCAG 2.1 level A and AA rule sets: the standard we are held to.
WCAG_TAGS: Final[tuple[str, ...]] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# How much of each violation to show in an assertion message.
_MAX_NODES_SHOWN: Final[int] = 3
_MAX_HTML_CHARS: Final[int] = 200


def launch_browser(playwright: Playwright) -> Browser:
    """Launch Debian's Chromium headless with our flags.

    Fails with a clear message when Chromium is not installed, rather than
    Playwright's hint to run ``playwright install`` (which cannot work here).
    """
    if not Path(CHROMIUM_PATH).exists():
        raise RuntimeError(
            f"{CHROMIUM_PATH} not found: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium fonts-liberation`."
        )
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=list(CHROMIUM_ARGS),
    )


@functools.cache
def axe_source() -> str:
    """Return the axe-core script text, read once per test session."""
    try:
        return AXE_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError(
            f"axe-core not found at {AXE_PATH}. Install the pinned version with "
            "`npm ci --prefix tests/browser` (run from the repository root)."
        ) from None


def _inject_axe(page: Page) -> None:
    """Load axe into the page's main frame unless it is already there.

    ``page.evaluate`` goes through the DevTools protocol, so it works under
    ``script-src 'self'`` where a ``<script>`` tag would be blocked.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.evaluate(axe_source())
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise RuntimeError(
            "axe-core did not register window.axe on this page "
            "(does the page define its own AMD `define` or CommonJS `module`?)"
        )


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe's WCAG 2.1 A/AA rules on the current page; return violations.

    Each item is axe's violation object (``id``, ``impact``, ``help``,
    ``helpUrl``, ``nodes`` with ``target`` and ``html``...). Only the main
    frame is checked; our pages have no iframes.
    """
    _inject_axe(page)
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}}
    violations: list[dict[str, Any]] = page.evaluate(
        "async (options) => (await window.axe.run(document, options)).violations",
        options,
    )
    return violations


def _shorten(text: str, limit: int = _MAX_HTML_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Render violations as readable text for an assertion message."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        nodes = violation.get("nodes") or []
        lines.append(
            f"- {violation.get('id')} [{violation.get('impact') or 'n/a'}] "
            f"{violation.get('help', '')} ({len(nodes)} node(s)) "
            f"{violation.get('helpUrl', '')}".rstrip()
        )
        for node in nodes[:_MAX_NODES_SHOWN]:
            target = ", ".join(str(part) for part in node.get("target") or [])
            lines.append(f"    at {target}: {_shorten(str(node.get('html', '')))}")
        if len(nodes) > _MAX_NODES_SHOWN:
            lines.append(f"    … and {len(nodes) - _MAX_NODES_SHOWN} more")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with a readable list when axe finds any WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    if violations:
        raise AssertionError(f"{page.url}\n{format_violations(violations)}")


_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as ``test-artifacts/screenshots/<name>.png``.

    The name is reduced to safe file-name characters so test ids such as
    ``test_home[mobile]`` cannot escape the folder. Returns the file's path.
    """
    safe = _UNSAFE_NAME_CHARS.sub("_", name).strip("._") or "screenshot"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page: Page, screenshot: str | None = None) -> None:
    """A page on a journey: accessible, and (for the key pages) kept as a screenshot of that name."""
    assert_accessible(page)
    if screenshot:
        save_screenshot(page, screenshot)


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the portal's own form; the page's context has the live server as its base URL."""
    page.goto("/sign-in")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if not page.get_by_role("button", name="Sign out").is_visible():
        raise AssertionError(f"could not sign in as {email}: still on {page.url}")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def fill_opportunity(page: Page, *, title: str, summary: str, what_you_do: str, kind: str, hours: int) -> None:
    """Fill the new-opportunity form as a poster would: the first skill, dates a month out, closing in 14 days."""
    today = clock.canberra_today()
    page.fill("#title", title)
    page.fill("#summary", summary)
    page.fill("#what_you_do", what_you_do)
    page.select_option("#kind", kind)
    page.click("summary >> nth=0")
    page.check("input[name=skills] >> nth=0")
    page.fill("#commitment_amount", str(hours))
    page.fill("#start_date", (today + timedelta(days=30)).isoformat())
    page.fill("#end_date", (today + timedelta(days=60)).isoformat())
    page.fill("#deadline", (today + timedelta(days=14)).isoformat())


def visit_either_way(page: Page, screenshot: str | None = None) -> None:
    """One page of a journey run with and without JavaScript: it rendered, and with JavaScript it passes axe."""
    assert page.locator("h1").count() == 1, page.content()
    if getattr(page, "javascript", True):
        visit(page, screenshot)


def click(page: Page, role: str, name: str) -> None:
    """Press the first control of that role and name, and wait for the page it leads to."""
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state()

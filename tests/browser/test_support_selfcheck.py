"""Self-check of ``support.py``: Chromium launches, axe runs under our CSP.

Two tiny static pages are served from a local ``http.server`` thread with the
same kind of strict Content-Security-Policy our portal sends, so this proves
axe injection works where an inline ``<script>`` would be blocked.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, sync_playwright

import support

pytestmark = pytest.mark.browser

CSP = "default-src 'self'; script-src 'self'"

# An inline script: if it runs, the CSP was not enforced and the test is void.
_INLINE_PROBE = "<script>window.inlineScriptRan = true;</script>"

PAGES: dict[str, str] = {
    "/good.html": f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Accessible page</title></head>
<body>
<main>
  <h1>Find an opportunity</h1>
  <form action="/good.html" method="get">
    <label for="q">Search opportunities</label>
    <input id="q" name="q" type="search">
    <button type="submit">Search</button>
  </form>
</main>
{_INLINE_PROBE}
</body>
</html>
""",
    "/bad.html": f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken page</title></head>
<body>
<main>
  <h1>Broken page</h1>
  <img src="/missing.png">
  <input type="text" name="unlabelled">
</main>
{_INLINE_PROBE}
</body>
</html>
""",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``PAGES`` with the portal's CSP; 404 for anything else."""

    def do_GET(self) -> None:
        body = PAGES.get(self.path.split("?", 1)[0])
        status = 200 if body is not None else 404
        data = (body or "not found").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = support.launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok
    assert response.headers.get("content-security-policy") == CSP
    # Proves the CSP is in force: the inline probe script was blocked.
    assert page.evaluate("() => window.inlineScriptRan === true") is False


def test_accessible_page_has_no_violations(page: Page, base_url: str) -> None:
    _open(page, f"{base_url}/good.html")
    violations = support.axe_violations(page)
    assert violations == [], support.format_violations(violations)
    support.assert_accessible(page)  # axe already loaded: must not re-inject


def test_broken_page_reports_expected_rules(page: Page, base_url: str) -> None:
    _open(page, f"{base_url}/bad.html")
    violations = support.axe_violations(page)
    assert {v["id"] for v in violations} == {"image-alt", "label"}, (
        support.format_violations(violations)
    )

    with pytest.raises(AssertionError) as failure:
        support.assert_accessible(page)
    message = str(failure.value)
    assert "image-alt" in message and "label" in message
    assert '<img src="/missing.png">' in message


def test_format_violations_without_violations() -> None:
    assert support.format_violations([]) == "no accessibility violations"


def test_save_screenshot_writes_png(page: Page, base_url: str) -> None:
    _open(page, f"{base_url}/good.html")
    expected = support.SCREENSHOT_DIR / "selfcheck_good.png"
    expected.unlink(missing_ok=True)

    path = support.save_screenshot(page, "selfcheck/good")

    assert path == expected
    assert path.parent == support.REPO_ROOT / "test-artifacts" / "screenshots"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 1000


def test_missing_axe_gives_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    support.axe_source.cache_clear()
    monkeypatch.setattr(support, "AXE_PATH", tmp_path / "absent.js")
    try:
        with pytest.raises(RuntimeError, match=r"npm ci --prefix tests/browser"):
            support.axe_source()
    finally:
        support.axe_source.cache_clear()

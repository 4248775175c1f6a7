"""Browser fixtures: the test app served on 127.0.0.1:<live_port>, Debian's Chromium, a context per test.

Links in captured e-mails point at PORTAL_BASE_URL, which the suite's settings set to the live port,
so a test can follow them in the browser. On the PostgreSQL run a missing Chromium or axe-core is a
failure; the SQLite run (make test-fast) leaves browser tests out altogether.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support import backends

HERE = Path(__file__).resolve().parent
SELF_CHECK = "test_support_selfcheck.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder drives a browser: mark it so `-m "not browser"` leaves it out.

    The support self-check runs first: it proves Chromium and axe work before any journey uses them,
    and its own Playwright instance must be gone before the session's one starts (one per thread).
    """
    slots = [i for i, item in enumerate(items) if HERE in Path(str(item.path)).parents]
    ours = sorted((items[i] for i in slots), key=lambda item: Path(str(item.path)).name != SELF_CHECK)
    for slot, item in zip(slots, ours):
        item.add_marker(pytest.mark.browser)
        items[slot] = item


@pytest.fixture(scope="session")
def live_server(app, live_port: int) -> Iterator[str]:
    """The suite's app on a real socket, serving each request in its own thread."""
    server = make_server("127.0.0.1", live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{live_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if backends.BACKEND == "sqlite":
        pytest.skip("browser tests run on the PostgreSQL backend (make test-services)")
    from playwright.sync_api import sync_playwright

    import support

    support.axe_source()  # fail now, clearly, if axe-core was not installed
    with sync_playwright() as playwright:
        chromium = support.launch_browser(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile (cookies, storage) for each test, pointed at the live server."""
    context = browser.new_context(base_url=live_server)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page_either_way(request, browser, live_server):
    """A journey run twice: with JavaScript, and without it, where every step must still work as plain HTML forms
    and links. `page.javascript` says which (axe needs JavaScript, so only that run checks accessibility)."""
    context = browser.new_context(base_url=live_server, java_script_enabled=request.param)
    page = context.new_page()
    page.javascript = request.param
    try:
        yield page
    finally:
        context.close()

"""Browser tests: the pages driven by Debian's Chromium through Playwright.

The browser is /usr/bin/chromium (packages chromium and chromium-driver),
never a browser Playwright downloads. Without it, or without the playwright
package, these tests are skipped with the reason, or fail with
REQUIRE_SERVICES=1 (see tests/conftest.py).

Chromium starts once for the package, with Playwright's own fresh profile
directory (launch() makes a new one each time and refuses --user-data-dir);
each test gets a new browser context (no cookies from another test) on
pytest-django's `live_server`. Tests take one screenshot per page they see,
into their tmp_path.

While Playwright's sync API is alive, an asyncio loop counts as running in
this thread, and Django refuses ORM calls from such a thread
(SynchronousOnlyOperation). The tests and pytest-django's flush touch the
database only between browser calls, so DJANGO_ALLOW_ASYNC_UNSAFE is set for
as long as Playwright runs, and restored after, so no other folder of the
suite runs without Django's check.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

try:
    # The tests import `expect` from here, so that without the package they
    # are skipped (or fail) by the `browser` fixture, not broken at import.
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    expect = sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's default wait is 30 s; a page of ours that needs more is broken.
TIMEOUT_MS = 10_000


# One Chromium per module, not per package: modules of other packages
# (tests/follow, tests/reading, tests/desk) import these fixtures, and a
# package-scoped one imported into a module outlived its package, so the next
# package's sync Playwright found the first one's event loop still running.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        service_unavailable(f"needs Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    if sync_playwright is None:
        service_unavailable("needs the playwright package (pip install -r requirements-dev.txt)")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, settings):
    """The live server's root URL. Links the services make (confirmation,
    unsubscribe, manage) start with SITE_URL: here, this server."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site, viewport={"width": 1100, "height": 800}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot(tmp_path):
    """screenshot(page, "name"): the whole page as a PNG in the test's tmp_path, numbered in order."""
    taken: list[Path] = []

    def take(page, name: str) -> Path:
        path = tmp_path / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take

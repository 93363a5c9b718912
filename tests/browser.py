"""Headless Chromium for browser tests: Debian's (``apt-get install -y chromium``; Playwright
cannot download its own browser here), driving a page that may talk to one origin only. Every
wait is bounded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect, sync_playwright

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
BROWSER_TIMEOUT_MS = 20_000

# For a browser test module: ``pytestmark = NEEDS_CHROMIUM``.
NEEDS_CHROMIUM = [
    pytest.mark.live,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: run `apt-get install -y chromium` (CI installs it)",
    ),
]


@dataclass
class BrowserPage:
    page: Page
    # Requests to other origins, refused.
    offsite: list[str] = field(default_factory=list)
    # Uncaught exceptions of the page's scripts.
    errors: list[str] = field(default_factory=list)


@contextmanager
def local_page(
    origin: str, *, elsewhere: Callable[[Route], bool] | None = None
) -> Iterator[BrowserPage]:
    """A page that may only ask ``origin``; ``elsewhere`` may answer a request to another
    origin itself (True: answered), else it is refused and recorded in ``offsite``."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(BROWSER_TIMEOUT_MS)
            expect.set_options(timeout=BROWSER_TIMEOUT_MS)
            opened = BrowserPage(page)

            def only_local(route: Route) -> None:
                if route.request.url.startswith(origin + "/"):
                    route.continue_()
                elif elsewhere is None or not elsewhere(route):
                    opened.offsite.append(route.request.url)
                    route.abort()

            page.route("**/*", only_local)
            page.on("pageerror", lambda error: opened.errors.append(str(error)))
            yield opened
        finally:
            browser.close()

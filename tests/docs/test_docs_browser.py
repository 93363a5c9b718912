"""``/docs`` in a real browser: Swagger UI renders our OpenAPI 3.1 and "Try it out" works.

A real uvicorn server (in a thread, on a socket bound to 127.0.0.1 here) serves the app on the
session's database; headless Chromium (Debian's, ``apt-get install -y chromium``: Playwright cannot
download its own browser here) opens ``/docs``, authorizes with a site's API key and subdomain,
and executes ``GET /api/public/v1/courses``. Every request the page makes to another origin is
refused and recorded, so the test also proves that the docs need no CDN. Every wait is bounded.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect, sync_playwright

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from tests.factories import make_course
from tests.servers import serve_in_thread
from tests.support import SiteClient

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
HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
STOP_SECONDS = 15.0
BROWSER_TIMEOUT_MS = 20_000

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: run `apt-get install -y chromium` (CI installs it)",
    ),
]


@pytest.fixture
def docs_url(database_url: str) -> Iterator[str]:
    """The app, with a ``Database`` of its own, served on a free port of 127.0.0.1."""
    database = Database(database_url)
    app = create_app(Settings(database_url=database_url, admin_token="docs-admin-token"), database)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(docs_url: str) -> Iterator[Page]:
    """A headless Chromium page that may only talk to the server; see ``page.offsite``."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(BROWSER_TIMEOUT_MS)
            expect.set_options(timeout=BROWSER_TIMEOUT_MS)
            offsite: list[str] = []
            errors: list[str] = []

            def only_local(route: Route) -> None:
                if route.request.url.startswith(docs_url + "/"):
                    route.continue_()
                else:
                    offsite.append(route.request.url)
                    route.abort()

            page.route("**/*", only_local)
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page
            assert offsite == [], f"the docs asked other origins for {offsite}"
            assert errors == [], f"the docs threw {errors}"
        finally:
            browser.close()


def authorize(page: Page, scheme: str, value: str) -> None:
    """Fill one apiKey scheme of the "Authorize" dialog and submit it."""
    container = page.locator(".auth-container").filter(
        has=page.locator("h4 code", has_text=re.compile(f"^{scheme}$"))
    )
    container.locator("input").fill(value)
    container.locator("button.authorize").click()
    expect(container.locator("button", has_text="Logout")).to_be_visible()


def test_swagger_ui_renders_and_tries_out_list_courses(
    page: Page, docs_url: str, site: SiteClient
) -> None:
    names = [f"Docs course {n} {uuid.uuid4().hex[:8]}" for n in (1, 2)]
    for name in names:
        make_course(site, name=name)

    page.goto(f"{docs_url}/docs")
    operation = page.locator("#operations-Courses-getCourses")
    expect(operation).to_be_visible()
    expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
    expect(operation.locator(".opblock-summary-path")).to_have_text("/api/public/v1/courses")
    expect(page.locator(".opblock")).not_to_have_count(0)

    page.locator(".auth-wrapper button.authorize").click()
    authorize(page, "ApiKey", site.key)
    authorize(page, "Subdomain", site.subdomain)
    page.locator(".auth-btn-wrapper button.btn-done").first.click()
    expect(page.locator(".dialog-ux")).to_have_count(0)

    operation.locator(".opblock-summary-control").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()

    response = operation.locator(".live-responses-table tbody .response")
    expect(response.locator(".response-col_status")).to_have_text("200")
    body = response.locator(".response-col_description pre").first
    for name in names:
        expect(body).to_contain_text(name)
    curl = operation.locator(".curl-command")
    expect(curl).to_contain_text(f"X-Auth-API-Key: {site.key}")
    expect(curl).to_contain_text(f"X-Auth-Subdomain: {site.subdomain}")

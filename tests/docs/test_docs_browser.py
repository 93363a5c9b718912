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

import pytest
from playwright.sync_api import Page, expect

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from tests.browser import NEEDS_CHROMIUM, local_page
from tests.factories import make_course, make_oauth_app
from tests.servers import serve_in_thread
from tests.support import SiteClient

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def docs_url(database_url: str) -> Iterator[str]:
    """The app, with a ``Database`` of its own, served on a free port of 127.0.0.1."""
    database = Database(database_url)
    app = create_app(Settings(database_url=database_url, admin_token="docs-admin-token"), database)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(docs_url: str) -> Iterator[Page]:
    """A headless Chromium page that may only talk to the server."""
    with local_page(docs_url) as opened:
        yield opened.page
        assert opened.offsite == [], f"the docs asked other origins for {opened.offsite}"
        assert opened.errors == [], f"the docs threw {opened.errors}"


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


def test_swagger_ui_authorizes_with_an_oauth_app_and_tries_out_a_call(
    page: Page, docs_url: str, site: SiteClient
) -> None:
    name = f"OAuth docs course {uuid.uuid4().hex[:8]}"
    make_course(site, name=name)
    client_id, secret = make_oauth_app(
        site, scopes=["read:courses"], redirect_uris=(f"{docs_url}/docs/oauth2-redirect",)
    )
    page.goto(f"{docs_url}/docs")
    page.locator(".auth-wrapper button.authorize").click()
    container = page.locator(".auth-container").filter(
        has=page.locator("h4", has_text="OAuth (OAuth2, authorizationCode")
    )
    container.locator("input[data-name=clientId]").fill(client_id)
    container.locator("input[data-name=clientSecret]").fill(secret)
    container.locator("label[for='read:courses-authorizationCode-checkbox-OAuth']").click()
    # Swagger UI opens the consent page in a window of its own, which the site admin approves.
    with page.expect_popup() as opened:
        container.locator("button.authorize").click()
    consent = opened.value
    expect(consent.locator("#scopes li")).to_have_text(["read:courses: See courses"])
    consent.get_by_role("button", name="Approve").click()
    expect(container.locator("button", has_text="Logout")).to_be_visible()
    page.locator(".auth-btn-wrapper button.btn-done").first.click()

    operation = page.locator("#operations-Courses-getCourses")
    operation.locator(".opblock-summary-control").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    response = operation.locator(".live-responses-table tbody .response")
    expect(response.locator(".response-col_status")).to_have_text("200")
    expect(response.locator(".response-col_description pre").first).to_contain_text(name)
    expect(operation.locator(".curl-command")).to_contain_text("Authorization: Bearer ")

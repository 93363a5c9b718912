"""The consent page in a real browser: headless Chromium opens ``/oauth2/authorize`` as an
app's link sends a site admin there, reads the page, clicks Approve (or Deny), and follows the
redirect back to the app, which the test answers itself. The code it brings back is exchanged
for tokens that work."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Route, expect

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from tests.browser import NEEDS_CHROMIUM, BrowserPage, local_page
from tests.oauth.helpers import REDIRECT, STATE, App, new_verifier, query_of, register, s256
from tests.servers import serve_in_thread
from tests.support import SiteClient

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    database = Database(database_url)
    settings = Settings(database_url=database_url, admin_token="t", rate_limit_per_minute=0)
    with serve_in_thread(create_app(settings, database)) as url:
        yield url


class Callbacks:
    """The app's side: what reached its redirect URI."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, route: Route) -> bool:
        if not route.request.url.startswith(REDIRECT + "?"):
            return False
        self.urls.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Installed</h1>")
        return True


@pytest.fixture
def callbacks() -> Callbacks:
    return Callbacks()


@pytest.fixture
def browser(server: str, callbacks: Callbacks) -> Iterator[BrowserPage]:
    with local_page(server, elsewhere=callbacks) as opened:
        yield opened
        assert opened.offsite == [], f"the consent page asked other origins for {opened.offsite}"
        assert opened.errors == []


def authorize_url(server: str, app: App, verifier: str) -> str:
    params = app.authorize_params(
        scope="read:users write:users",
        code_challenge=s256(verifier),
        code_challenge_method="S256",
    )
    return f"{server}/oauth2/authorize?{urlencode(params)}"


def test_an_admin_approves_in_the_browser_and_the_code_works(
    server: str, site: SiteClient, browser: BrowserPage, callbacks: Callbacks
) -> None:
    app = register(site, ["read:users", "write:users"], name="Gradebook")
    verifier = new_verifier()
    page = browser.page
    page.goto(authorize_url(server, app, verifier))
    expect(page).to_have_title("Install Gradebook")
    expect(page.locator("h1")).to_have_text(f"Install Gradebook on {site.subdomain}?")
    expect(page.locator("#scopes li")).to_have_text(
        ["read:users: See users", "write:users: Create, change and delete users"]
    )
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("h1")).to_have_text("Installed")

    assert len(callbacks.urls) == 1
    query = query_of(callbacks.urls[0])
    assert (query["subdomain"], query["state"]) == (site.subdomain, STATE)
    token = httpx.post(
        f"{server}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        auth=(app.client_id, app.secret),
    )
    assert token.status_code == 200, token.text
    users = httpx.get(
        f"{server}/api/public/v1/users",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert users.status_code == 200


def test_an_admin_denies_and_the_app_hears_access_denied(
    server: str, site: SiteClient, browser: BrowserPage, callbacks: Callbacks
) -> None:
    app = register(site, ["read:users", "write:users"], name="Gradebook")
    page = browser.page
    page.goto(authorize_url(server, app, new_verifier()))
    page.get_by_role("button", name="Deny").click()
    expect(page.locator("h1")).to_have_text("Installed")
    query = query_of(callbacks.urls[0])
    assert (query["error"], query["state"]) == ("access_denied", STATE)
    assert "code" not in query

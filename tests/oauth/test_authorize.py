"""``GET /oauth2/authorize`` and its consent page: the redirect back with a code, the subdomain
and the state, denial, remembered consent, requests that are bad (sent back to the app) and
requests that can't be sent back (an error page), and how the site is found."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from tests.oauth.helpers import (
    REDIRECT,
    STATE,
    App,
    new_verifier,
    query_of,
    register,
    s256,
)
from tests.support import SiteClient, client_with


@pytest.fixture
def app(site: SiteClient) -> App:
    return register(site, ["read:users", "write:users", "read:courses"], name="Gradebook <Sync>")


class Form(HTMLParser):
    """The consent page's form: its action, hidden fields and buttons; the listed scopes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.action = ""
        self.hidden: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str]] = []
        self.scopes: list[str] = []
        self._in_code = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = named["action"]
        elif tag == "input" and named.get("type") == "hidden":
            self.hidden.append((named["name"], named["value"]))
        elif tag == "button":
            self.buttons.append((named["name"], named["value"]))
        self._in_code = tag == "code"

    def handle_data(self, data: str) -> None:
        if self._in_code and ":" in data:
            self.scopes.append(data)
        self._in_code = False


def redirect_of(response: object) -> tuple[str, dict[str, str]]:
    """Where a 302 sends the browser: the URL without its query, and the query."""
    assert getattr(response, "status_code", None) == 302, getattr(response, "text", "")
    location = response.headers["location"]  # type: ignore[attr-defined]
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query_of(location)


def test_the_consent_page_names_the_app_the_site_and_the_scopes(app: App) -> None:
    challenge = s256(new_verifier())
    response = app.authorize(
        scope="read:users write:users", code_challenge=challenge, code_challenge_method="S256"
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    # The app's name is escaped, never markup.
    assert "Install Gradebook &lt;Sync&gt; on" in page
    assert "<Sync>" not in page
    form = Form(page)
    assert form.action == "/oauth2/authorize"
    assert form.buttons == [("decision", "approve"), ("decision", "deny")]
    assert form.scopes == ["read:users", "write:users"]
    assert dict(form.hidden) == {
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "state": STATE,
        "subdomain": app.site.subdomain,
        "scope": "read:users write:users",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def test_approving_redirects_with_the_code_the_subdomain_and_the_state(app: App) -> None:
    target, query = redirect_of(app.decide("approve", scope="read:users"))
    assert target == REDIRECT
    assert list(query) == ["code", "subdomain", "state"]
    assert query["subdomain"] == app.site.subdomain
    assert query["state"] == STATE
    assert len(query["code"]) >= 32


def test_denying_redirects_with_access_denied_and_issues_no_code(app: App) -> None:
    target, query = redirect_of(app.decide("deny", scope="read:users"))
    assert target == REDIRECT
    assert query["error"] == "access_denied"
    assert query["state"] == STATE
    assert "code" not in query
    # Nothing was consented: the next request asks again.
    assert app.authorize(scope="read:users").status_code == 200


def test_consented_scopes_are_not_asked_again_but_new_ones_are(app: App) -> None:
    redirect_of(app.decide("approve", scope="read:users write:users"))
    _, query = redirect_of(app.authorize(scope="read:users"))
    assert set(query) == {"code", "subdomain", "state"}
    wider = app.authorize(scope="read:users read:courses")
    assert wider.status_code == 200
    assert Form(wider.text).scopes == ["read:users", "read:courses"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": None}, "unsupported_response_type"),
        ({"scope": "read:orders"}, "invalid_scope"),
        ({"scope": "write:everything"}, "invalid_scope"),
        ({"code_challenge": "short", "code_challenge_method": "S256"}, "invalid_request"),
        ({"code_challenge": s256("x" * 43), "code_challenge_method": "md5"}, "invalid_request"),
    ],
)
def test_a_bad_request_from_a_known_app_is_sent_back_with_its_error(
    app: App, overrides: dict[str, str | None], error: str
) -> None:
    target, query = redirect_of(app.authorize(**overrides))
    assert target == REDIRECT
    assert query["error"] == error
    assert query["state"] == STATE
    assert "code" not in query


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"client_id": "no-such-app"}, "invalid_client"),
        ({"client_id": None}, "invalid_client"),
        ({"redirect_uri": "https://evil.example.com/callback"}, "invalid_request"),
        ({"redirect_uri": REDIRECT + "/deeper"}, "invalid_request"),
    ],
)
def test_a_request_that_cannot_be_sent_back_gets_an_error_page(
    app: App, overrides: dict[str, str | None], error: str
) -> None:
    response = app.authorize(**overrides)
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "location" not in response.headers
    assert f'<p id="error"><code>{error}</code>:' in response.text


def test_another_sites_app_is_unknown_here(app: App, other_site: SiteClient) -> None:
    response = app.authorize(subdomain=other_site.subdomain)
    assert response.status_code == 400
    assert '<p id="error"><code>invalid_client</code>:' in response.text


def test_the_redirect_uri_may_be_left_out_when_the_app_has_one(app: App) -> None:
    target, query = redirect_of(app.decide("approve", scope="read:users", redirect_uri=None))
    assert target == REDIRECT
    assert set(query) == {"code", "subdomain", "state"}


def test_the_host_names_the_site_then_the_subdomain_then_the_client(
    app: App, other_site: SiteClient
) -> None:
    url = "/oauth2/authorize?" + urlencode(app.authorize_params(subdomain=None))
    on_site = app.http.get(url, headers={"Host": f"{app.site.subdomain}.localhost:8000"})
    assert on_site.status_code == 200
    # The form carries the site on, so that the answer reaches the same site from any host.
    assert ("subdomain", app.site.subdomain) in Form(on_site.text).hidden
    # Another site's host wins over the client: the app is unknown there.
    elsewhere = app.http.get(url, headers={"Host": f"{other_site.subdomain}.localhost"})
    assert '<p id="error"><code>invalid_client</code>:' in elsewhere.text
    unknown = app.http.get(url, headers={"Host": "no-such-site.localhost"})
    assert unknown.status_code == 400
    assert "No site" in unknown.text
    # A plain host: the app's own site.
    assert app.http.get(url).status_code == 200
    no_client = "/oauth2/authorize?" + urlencode(
        app.authorize_params(subdomain=None, client_id=None)
    )
    assert "No site" in app.http.get(no_client).text


@pytest.fixture
def base_domain_http(database: Database, database_url: str) -> Iterator[TestClient]:
    with client_with(database, database_url, base_domain="courses.example.test") as client:
        yield client


def test_the_host_may_be_under_the_configured_base_domain(
    app: App, base_domain_http: TestClient
) -> None:
    url = "/oauth2/authorize?" + urlencode(app.authorize_params(subdomain=None))
    host = {"Host": f"{app.site.subdomain}.courses.example.test"}
    assert base_domain_http.get(url, headers=host).status_code == 200
    unknown = {"Host": "no-such-site.courses.example.test"}
    assert base_domain_http.get(url, headers=unknown).status_code == 400


@pytest.fixture
def auto_approving(database: Database, database_url: str) -> Iterator[TestClient]:
    with client_with(database, database_url, oauth_auto_approve=True) as client:
        yield client


def test_auto_approve_redirects_at_once(app: App, auto_approving: TestClient) -> None:
    url = "/oauth2/authorize?" + urlencode(app.authorize_params(scope="read:courses"))
    target, query = redirect_of(auto_approving.get(url, follow_redirects=False))
    assert target == REDIRECT
    assert set(query) == {"code", "subdomain", "state"}
    # Bad requests still fail as they would have.
    bad = auto_approving.get(url.replace("read%3Acourses", "read%3Aorders"), follow_redirects=False)
    assert redirect_of(bad)[1]["error"] == "invalid_scope"


def test_a_post_without_a_decision_denies(app: App) -> None:
    form = app.authorize_params(scope="read:users")
    response = app.http.post("/oauth2/authorize", data=form, follow_redirects=False)
    assert redirect_of(response)[1]["error"] == "access_denied"

"""The whole OAuth flow as an app runs it, with a standard client library (authlib's httpx
``OAuth2Client``) against a real server on a loopback port, and no browser: authorize
(auto-approved) -> code -> token -> API call -> refresh -> revoke -> 401, against `syllabus
serve` in a subprocess (``SYLLABUS_OAUTH_AUTO_APPROVE=1``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client

from tests.oauth.helpers import REDIRECT, App, register
from tests.servers import start_server
from tests.support import AUTHENTICATION_ERROR, SiteClient

pytestmark = pytest.mark.live


@pytest.fixture
def clients() -> Iterator[Callable[..., OAuth2Client]]:
    """Makes an app's authlib client (a public one without ``secret``), closed after the test."""
    made: list[OAuth2Client] = []

    def client(app: App, scope: str, *, secret: bool = True) -> OAuth2Client:
        made.append(
            OAuth2Client(
                app.client_id,
                app.secret if secret else None,
                scope=scope,
                redirect_uri=REDIRECT,
                code_challenge_method="S256",
                token_endpoint_auth_method="client_secret_basic" if secret else "none",
            )
        )
        return made[-1]

    yield client
    for client in made:
        client.close()


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`syllabus serve` on a free loopback port, approving every authorization at once."""
    log = tmp_path_factory.mktemp("oauth") / "serve.log"
    process = start_server(database_url, log, env={"SYLLABUS_OAUTH_AUTO_APPROVE": "1"})
    try:
        yield process.url
    finally:
        process.kill()


def test_authlibs_client_runs_the_whole_flow(
    server: str, site: SiteClient, clients: Callable[..., OAuth2Client]
) -> None:
    app = register(site, ["read:users", "write:users"])
    user = site.post("/users", json={"first_name": "A", "last_name": "B", "email": "a@b.co"})
    client = clients(app, "read:users")
    verifier = generate_token(48)
    url, _state = client.create_authorization_url(
        f"{server}/oauth2/authorize", code_verifier=verifier, subdomain=site.subdomain
    )
    # The browser's step, auto-approved: a redirect back to the app with the code.
    redirect = httpx.get(url, follow_redirects=False)
    assert redirect.status_code == 302, redirect.text
    callback = redirect.headers["location"]
    assert callback.startswith(REDIRECT + "?")
    token = client.fetch_token(
        f"{server}/oauth2/token", authorization_response=callback, code_verifier=verifier
    )
    assert list(token)[:5] == ["access_token", "token_type", "refresh_token", "expires_in", "gid"]
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 86399

    # An Admin API call with the bearer token alone: the token names the site.
    users = client.get(f"{server}/api/public/v1/users")
    assert users.status_code == 200
    assert [item["id"] for item in users.json()["items"]] == [user.json()["id"]]
    # Read-only: a write is out of scope.
    refused = client.post(
        f"{server}/api/public/v1/users", json={"first_name": "C", "last_name": "D"}
    )
    assert refused.status_code == 403

    first = dict(token)
    renewed = client.refresh_token(f"{server}/oauth2/token")
    assert renewed["refresh_token"] != first["refresh_token"]
    assert renewed["access_token"] != first["access_token"]
    assert client.get(f"{server}/api/public/v1/users").status_code == 200
    # The spent refresh token is refused.
    with pytest.raises(OAuthError) as spent:
        client.refresh_token(f"{server}/oauth2/token", refresh_token=first["refresh_token"])
    assert spent.value.error == "invalid_grant"

    revoked = client.revoke_token(f"{server}/oauth2/revoke", token=renewed["access_token"])
    assert revoked.status_code == 200
    after = client.get(f"{server}/api/public/v1/users")
    assert (after.status_code, after.json()) == (401, AUTHENTICATION_ERROR)


def test_a_public_client_with_pkce_and_no_secret(
    server: str, site: SiteClient, clients: Callable[..., OAuth2Client]
) -> None:
    app = register(site, ["read:users"])
    client = clients(app, "read:users", secret=False)
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(
        f"{server}/oauth2/authorize", code_verifier=verifier, subdomain=site.subdomain
    )
    callback = httpx.get(url, follow_redirects=False).headers["location"]
    with pytest.raises(OAuthError) as mismatch:
        client.fetch_token(
            f"{server}/oauth2/token",
            authorization_response=callback,
            code_verifier=generate_token(48),
        )
    assert mismatch.value.error == "invalid_grant"
    # A failed exchange spent nothing: the right verifier still works.
    token = client.fetch_token(
        f"{server}/oauth2/token", authorization_response=callback, code_verifier=verifier
    )
    assert "refresh_token" not in token
    assert client.get(f"{server}/api/public/v1/users").status_code == 200

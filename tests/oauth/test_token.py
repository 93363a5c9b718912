"""``POST /oauth2/token`` and ``/oauth2/revoke``: the code and refresh grants, PKCE, client
authentication, expiry by the site's clock, revocation (FIDELITY §2.3, RFC 6749/7636/7009)."""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.oauth.router import NO_SITE
from tests.oauth.helpers import (
    PUBLIC_TOKEN_KEYS,
    REDIRECT,
    TOKEN_KEYS,
    App,
    api_get,
    new_verifier,
    oauth_error,
    register,
)
from tests.support import AUTHENTICATION_ERROR, SiteClient, assert_answers

ADMIN = {"Authorization": "Bearer test-admin-token"}


@pytest.fixture
def app(site: SiteClient) -> App:
    return register(site, ["read:users", "write:users", "read:courses"])


def global_id(site: SiteClient) -> str:
    response = site.http.get(f"/_syllabus/sites/{site.subdomain}", headers=ADMIN)
    return str(response.json()["global_id"])


def advance_clock(site: SiteClient, seconds: float) -> None:
    response = site.http.put(
        f"/_syllabus/sites/{site.subdomain}/clock",
        json={"advance_seconds": seconds},
        headers=ADMIN,
    )
    assert response.status_code == 200, response.text


def assert_token_body(body: dict[str, Any], site: SiteClient, keys: list[str]) -> None:
    """Thinkific's token response: these keys in this order, a bearer token for a day."""
    assert list(body) == keys
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86399
    assert body["gid"] == global_id(site)
    assert len(body["access_token"]) > 32  # clients send longer tokens as Bearer
    if "refresh_token" in body:
        assert body["refresh_token"] != body["access_token"]


def test_a_code_is_exchanged_for_thinkifics_token_body(app: App) -> None:
    verifier = new_verifier()
    response = app.exchange(app.code(verifier=verifier), code_verifier=verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert_token_body(response.json(), app.site, TOKEN_KEYS)
    users = api_get(app.http, response.json()["access_token"])
    assert users.status_code == 200
    assert users.json()["items"] == []


def test_the_token_endpoint_takes_json_as_thinkifics_clients_send_it(app: App) -> None:
    verifier = new_verifier()
    body = {"grant_type": "authorization_code", "code": app.code(verifier=verifier)}
    body |= {"code_verifier": verifier, "redirect_uri": REDIRECT}
    response = app.http.post("/oauth2/token", json=body, auth=(app.client_id, app.secret))
    assert response.status_code == 200, response.text
    assert_token_body(response.json(), app.site, TOKEN_KEYS)


def test_the_secret_may_come_in_the_body(app: App) -> None:
    form = {"grant_type": "authorization_code", "code": app.code(), "redirect_uri": REDIRECT}
    form |= {"client_id": app.client_id, "client_secret": app.secret}
    response = app.http.post("/oauth2/token", data=form)
    assert response.status_code == 200, response.text
    assert_token_body(response.json(), app.site, TOKEN_KEYS)


def test_a_wrong_pkce_verifier_is_invalid_grant_and_spends_nothing(app: App) -> None:
    verifier = new_verifier()
    code = app.code(verifier=verifier)
    wrong = app.exchange(code, code_verifier=new_verifier())
    assert_answers(wrong, 400, oauth_error("invalid_grant", "Code challenge failed."))
    missing = app.exchange(code)
    assert_answers(missing, 400, oauth_error("invalid_request", "Missing 'code_verifier'"))
    assert app.exchange(code, code_verifier=verifier).status_code == 200


def test_a_code_is_single_use_and_its_reuse_revokes_what_it_gave(app: App) -> None:
    code = app.code()
    first = app.exchange(code)
    assert first.status_code == 200
    token = first.json()
    again = app.exchange(code)
    assert_answers(again, 400, oauth_error("invalid_grant", "Invalid 'code' in request."))
    assert_answers(api_get(app.http, token["access_token"]), 401, AUTHENTICATION_ERROR)
    refreshed = app.refresh(token["refresh_token"])
    assert_answers(refreshed, 400, oauth_error("invalid_grant"))


def test_a_code_is_bound_to_its_redirect_uri(site: SiteClient) -> None:
    other = "https://app.example.com/other"
    app = register(site, redirect_uris=(REDIRECT, other))
    code = app.code()
    response = app.token(grant_type="authorization_code", code=code, redirect_uri=other)
    assert_answers(
        response, 400, oauth_error("invalid_grant", "Invalid 'redirect_uri' in request.")
    )
    assert app.exchange(code).status_code == 200


def test_a_code_is_bound_to_its_app(site: SiteClient, app: App) -> None:
    thief = register(site)
    response = thief.exchange(app.code())
    assert_answers(response, 400, oauth_error("invalid_grant", "Invalid 'code' in request."))


def test_a_code_expires_after_ten_minutes_of_the_sites_clock(app: App) -> None:
    code = app.code()
    advance_clock(app.site, 601)
    response = app.exchange(code)
    assert_answers(response, 400, oauth_error("invalid_grant", "Invalid 'code' in request."))


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param(("known", "wrong secret"), id="wrong-secret"),
        pytest.param(("0" * 32, "secret"), id="unknown-client"),
    ],
)
def test_a_client_that_cannot_authenticate_is_invalid_client(
    app: App, auth: tuple[str, str]
) -> None:
    client_id = app.client_id if auth[0] == "known" else auth[0]
    response = app.token(auth=(client_id, auth[1]), grant_type="authorization_code", code="x")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert list(response.json()) == ["error", "error_description"]


def test_an_access_token_expires_by_the_sites_clock_and_the_refresh_token_renews_it(
    app: App,
) -> None:
    token = app.tokens()
    advance_clock(app.site, 86399)
    assert_answers(api_get(app.http, token["access_token"]), 401, AUTHENTICATION_ERROR)
    renewed = app.refresh(token["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    assert api_get(app.http, renewed.json()["access_token"]).status_code == 200


def test_a_refresh_rotates_the_refresh_token_and_the_old_one_is_spent(app: App) -> None:
    token = app.tokens()
    renewed = app.refresh(token["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    body = renewed.json()
    assert_token_body(body, app.site, TOKEN_KEYS)
    assert body["refresh_token"] != token["refresh_token"]
    assert body["access_token"] != token["access_token"]
    assert_answers(app.refresh(token["refresh_token"]), 400, oauth_error("invalid_grant"))
    # The old access token lives out its day: requests in flight during a refresh still work.
    assert api_get(app.http, token["access_token"]).status_code == 200
    assert api_get(app.http, body["access_token"]).status_code == 200
    assert app.refresh(body["refresh_token"]).status_code == 200


def test_a_refresh_keeps_the_scopes_or_narrows_them(app: App) -> None:
    token = app.tokens(scope="read:users read:courses")
    narrowed = app.token(
        grant_type="refresh_token", refresh_token=token["refresh_token"], scope="read:users"
    )
    assert narrowed.status_code == 200, narrowed.text
    access = narrowed.json()["access_token"]
    assert api_get(app.http, access, "/users").status_code == 200
    assert api_get(app.http, access, "/courses").status_code == 403
    wider = app.token(
        grant_type="refresh_token",
        refresh_token=narrowed.json()["refresh_token"],
        scope="read:users write:users",
    )
    assert_answers(
        wider,
        400,
        oauth_error("invalid_scope", "The requested scope is invalid, unknown, or malformed."),
    )


def test_a_public_client_uses_pkce_and_gets_no_refresh_token(app: App) -> None:
    verifier = new_verifier()
    response = app.exchange(app.code(verifier=verifier), code_verifier=verifier)
    assert response.status_code == 200
    public = (app.client_id, "")
    verifier = new_verifier()
    code = app.code(verifier=verifier)
    without = app.token(
        auth=public, grant_type="authorization_code", code=code, redirect_uri=REDIRECT
    )
    assert_answers(without, 400, oauth_error("invalid_request", "Missing 'code_verifier'"))
    issued = app.token(
        auth=public,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert issued.status_code == 200, issued.text
    assert_token_body(issued.json(), app.site, PUBLIC_TOKEN_KEYS)
    assert api_get(app.http, issued.json()["access_token"]).status_code == 200


def test_a_public_client_cannot_refresh(app: App) -> None:
    token = app.tokens()
    response = app.token(
        auth=(app.client_id, ""), grant_type="refresh_token", refresh_token=token["refresh_token"]
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ],
)
def test_bad_token_requests_get_rfc6749_errors(app: App, form: dict[str, str], error: str) -> None:
    response = app.token(**form)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_a_malformed_json_body_is_invalid_request(app: App) -> None:
    response = app.http.post(
        "/oauth2/token",
        content=b'{"grant_type": ',
        headers={"Content-Type": "application/json"},
        auth=(app.client_id, app.secret),
    )
    assert_answers(response, 400, oauth_error("invalid_request", "The body is not valid JSON."))


def test_the_host_names_the_site(app: App, other_site: SiteClient) -> None:
    verifier = new_verifier()
    code = app.code(verifier=verifier)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    form["code_verifier"] = verifier
    auth = (app.client_id, app.secret)
    # Another site's host: the app is unknown there (tenancy), so the client can't authenticate.
    elsewhere = app.http.post(
        "/oauth2/token", data=form, auth=auth, headers={"Host": f"{other_site.subdomain}.localhost"}
    )
    assert elsewhere.status_code == 401
    assert elsewhere.json()["error"] == "invalid_client"
    here = app.http.post(
        "/oauth2/token",
        data=form,
        auth=auth,
        headers={"Host": f"{app.site.subdomain}.localhost:8000"},
    )
    assert here.status_code == 200, here.text


def test_a_request_naming_no_site_is_invalid_request(app: App) -> None:
    response = app.http.post(
        "/oauth2/token", data={"grant_type": "authorization_code", "code": "x"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
def test_revoking_either_token_of_a_pair_revokes_both(app: App, which: str) -> None:
    token = app.tokens()
    assert_answers(app.revoke(token[which], token_type_hint=which), 200, {})
    assert_answers(api_get(app.http, token["access_token"]), 401, AUTHENTICATION_ERROR)
    assert_answers(app.refresh(token["refresh_token"]), 400, oauth_error("invalid_grant"))


def test_revoking_an_unknown_token_answers_200_as_rfc7009_says(app: App) -> None:
    assert_answers(app.revoke("nothing-like-a-token"), 200, {})


def test_revoking_needs_the_client(app: App) -> None:
    token = app.tokens()
    revoke = {"token": token["access_token"]}
    on_the_site = {"Host": f"{app.site.subdomain}.localhost"}
    anonymous = app.http.post("/oauth2/revoke", data=revoke, headers=on_the_site)
    methods = "['client_secret_basic', 'client_secret_post', 'none']"
    unnamed = f"The client cannot authenticate with methods: {methods}"
    assert_answers(anonymous, 401, oauth_error("invalid_client", unnamed))
    nowhere = app.http.post("/oauth2/revoke", data=revoke)
    assert_answers(nowhere, 400, oauth_error("invalid_request", NO_SITE))
    assert api_get(app.http, token["access_token"]).status_code == 200


def test_another_apps_token_is_not_revoked(site: SiteClient, app: App) -> None:
    token = app.tokens()
    other = register(site)
    response = other.revoke(token["access_token"])
    assert response.status_code == 400
    assert api_get(app.http, token["access_token"]).status_code == 200

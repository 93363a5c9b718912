"""The control plane's OAuth apps, ``/_syllabus/sites/{subdomain}/apps``: register (the secret
shown once, only its digest stored), list, delete (its tokens answer 401), and the 422s."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from syllabus.auth import hash_secret
from syllabus.db import Database
from syllabus.models import OAuthApp
from syllabus.oauth.apps import permission_scopes
from tests.oauth.helpers import REDIRECT, App, api_get, oauth_error
from tests.support import (
    AUTHENTICATION_ERROR,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    client_with,
)

ADMIN = {"Authorization": "Bearer test-admin-token"}


def apps_url(site: SiteClient) -> str:
    return f"/_syllabus/sites/{site.subdomain}/apps"


def register(site: SiteClient, body: dict[str, Any]) -> Any:
    return site.http.post(apps_url(site), json=body, headers=ADMIN)


def test_an_app_is_registered_with_its_secret_shown_once(site: SiteClient) -> None:
    body = {
        "name": "Gradebook",
        "redirect_uris": [REDIRECT, "http://localhost:3000/cb"],
        "scopes": ["read:users write:users", "read:courses"],
    }
    response = register(site, body)
    assert response.status_code == 201, response.text
    created = response.json()
    client_id, secret = created["client_id"], created["client_secret"]
    assert created == {
        "client_id": client_id,
        "name": "Gradebook",
        "redirect_uris": [REDIRECT, "http://localhost:3000/cb"],
        "scopes": ["read:users", "write:users", "read:courses"],
        "consented_scopes": [],
        "created_at": created["created_at"],
        "client_secret": secret,
    }
    assert len(client_id) == 32
    assert len(secret) >= 32
    # Only a digest of the secret is kept.
    row = site.db(
        lambda s: s.scalars(select(OAuthApp).where(OAuthApp.client_id == client_id)).one()
    )
    assert row.secret_hash == hash_secret(secret)
    assert secret not in (row.secret_hash, row.secret_salt, row.name, row.redirect_uris)
    listed = site.http.get(apps_url(site), headers=ADMIN)
    assert listed.status_code == 200
    without_secret = {key: value for key, value in created.items() if key != "client_secret"}
    assert listed.json()["items"] == [without_secret]
    assert listed.json()["meta"]["pagination"]["total_items"] == 1
    # The secret works: the whole flow, with the app registered here.
    app = App(site, client_id, secret)
    assert api_get(app.http, app.tokens(scope="read:users")["access_token"]).status_code == 200


def test_defaults_name_the_app_by_its_host_and_allow_every_permission(site: SiteClient) -> None:
    created = register(site, {"redirect_uris": [REDIRECT]}).json()
    assert created["name"] == "app.example.com"
    assert created["scopes"] == permission_scopes()
    assert "read:users" in created["scopes"]
    assert "write:site_scripts" in created["scopes"]


def test_apps_are_per_site(site: SiteClient, other_site: SiteClient) -> None:
    register(site, {"redirect_uris": [REDIRECT]})
    assert site.http.get(apps_url(other_site), headers=ADMIN).json()["items"] == []


def test_deleting_an_app_revokes_its_tokens(site: SiteClient) -> None:
    created = register(site, {"redirect_uris": [REDIRECT]}).json()
    app = App(site, created["client_id"], created["client_secret"])
    token = app.tokens(scope="read:users")
    url = f"{apps_url(site)}/{app.client_id}"
    deleted = site.http.delete(url, headers=ADMIN)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert_answers(api_get(app.http, token["access_token"]), 401, AUTHENTICATION_ERROR)
    refused = app.refresh(token["refresh_token"])
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert_answers(site.http.delete(url, headers=ADMIN), 404, RECORD_NOT_FOUND)
    assert site.http.get(apps_url(site), headers=ADMIN).json()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "redirect_uris"),
        ({"redirect_uris": []}, "redirect_uris"),
        ({"redirect_uris": ["not a url"]}, "redirect_uris"),
        ({"redirect_uris": ["ftp://example.com/cb"]}, "redirect_uris"),
        ({"redirect_uris": ["https://example.com/cb#frag"]}, "redirect_uris"),
        ({"redirect_uris": [REDIRECT], "scopes": ["read:everything"]}, "scopes"),
        ({"redirect_uris": [REDIRECT], "scopes": "read:users"}, "scopes"),
        ({"redirect_uris": [REDIRECT], "name": "x" * 256}, "name"),
    ],
)
def test_bad_registrations_are_422_and_write_nothing(
    site: SiteClient, body: dict[str, Any], field: str
) -> None:
    response = register(site, body)
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == [field]
    assert site.http.get(apps_url(site), headers=ADMIN).json()["items"] == []


def test_an_unknown_site_is_404_and_the_admin_token_is_required(site: SiteClient) -> None:
    missing = site.http.post(
        "/_syllabus/sites/no-such-site/apps", json={"redirect_uris": [REDIRECT]}, headers=ADMIN
    )
    assert_answers(missing, 404, RECORD_NOT_FOUND)
    anonymous = site.http.post(apps_url(site), json={"redirect_uris": [REDIRECT]})
    assert_answers(anonymous, 401, AUTHENTICATION_ERROR)
    with_site_key = site.http.get(apps_url(site), headers=site.headers)
    assert_answers(with_site_key, 401, AUTHENTICATION_ERROR)


def test_secrets_derive_from_the_servers_key(
    site: SiteClient, database: Database, database_url: str
) -> None:
    """With SYLLABUS_SECRET_KEY, an app's secret is derived from that key: a server with
    another key (here, the database's own) does not accept it, one with the same key does."""
    with client_with(database, database_url, secret_key="k" * 32) as keyed:
        created = keyed.post(apps_url(site), json={"redirect_uris": [REDIRECT]}, headers=ADMIN)
        assert created.status_code == 201, created.text
        client_id, secret = created.json()["client_id"], created.json()["client_secret"]
        form = {"grant_type": "refresh_token", "refresh_token": "none-such"}
        same_key = keyed.post("/oauth2/token", data=form, auth=(client_id, secret))
        assert_answers(same_key, 400, oauth_error("invalid_grant"))
    other_key = site.http.post("/oauth2/token", data=form, auth=(client_id, secret))
    assert (other_key.status_code, other_key.json()["error"]) == (401, "invalid_client")

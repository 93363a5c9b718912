"""Site scripts made by an OAuth app (the Site Scripts API's own callers): content is signed
with the app's client secret, a ``src`` must be on the app's domain (its redirect URIs'), and the
app's other scripts and scopes work as the spec says."""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.models import SiteScript
from tests.factories import make_oauth_app, make_oauth_token
from tests.site_scripts.helpers import (
    CONTENT,
    CONTENT_REQUEST,
    INVALID_HEADER,
    INVALID_SOURCE,
    SIGNATURE,
    SRC_REQUEST,
    sign,
)
from tests.support import SiteClient, assert_answers

SCOPES = ["read:site_scripts", "write:site_scripts"]


class AppCaller:
    """An app registered with redirect URIs on ``app.example.com``, and a token it was issued."""

    def __init__(self, site: SiteClient) -> None:
        self.site = site
        self.client_id, self.secret = make_oauth_app(
            site, scopes=SCOPES, redirect_uris=("https://app.example.com/oauth/callback",)
        )
        self.token = make_oauth_token(site, SCOPES, client_id=self.client_id)

    def create(self, body: dict[str, Any], **headers: str) -> Any:
        return self.site.http.post(
            "/api/public/v1/site_scripts",
            json=body,
            headers={"Authorization": f"Bearer {self.token}", **headers},
        )


@pytest.fixture
def app(site: SiteClient) -> AppCaller:
    return AppCaller(site)


def test_content_is_signed_with_the_apps_client_secret(app: AppCaller, site: SiteClient) -> None:
    with_key = app.create(CONTENT_REQUEST, **{SIGNATURE: sign(CONTENT, site.key)})
    assert_answers(with_key, 422, INVALID_HEADER)
    with_token = app.create(CONTENT_REQUEST, **{SIGNATURE: sign(CONTENT, app.token)})
    assert_answers(with_token, 422, INVALID_HEADER)
    created = app.create(CONTENT_REQUEST, **{SIGNATURE: sign(CONTENT, app.secret)})
    assert created.status_code == 201, created.text
    script_id = created.json()["site_script"]["id"]
    row = site.db(lambda s: s.query(SiteScript).filter_by(script_id=script_id).one())
    assert row.app_client_id == app.client_id


@pytest.mark.parametrize(
    "src",
    [
        "https://app.example.com/script.js",
        "https://cdn.example.com/v2/script.js",
        "http://EXAMPLE.com/script.js",
    ],
)
def test_a_src_on_the_apps_domain_is_accepted(app: AppCaller, src: str) -> None:
    response = app.create({**SRC_REQUEST, "src": src})
    assert response.status_code == 201, response.text
    assert response.json()["site_script"]["src"] == src


@pytest.mark.parametrize(
    "src",
    [
        "https://your-site.com/site-script.js",
        "https://example.com.evil.io/x.js",
        "https://com/x.js",
    ],
)
def test_a_src_elsewhere_is_the_invalid_source_422(app: AppCaller, src: str) -> None:
    assert_answers(app.create({**SRC_REQUEST, "src": src}), 422, INVALID_SOURCE)


def test_an_api_key_may_use_any_src_and_records_no_app(site: SiteClient) -> None:
    response = site.post("/site_scripts", json=SRC_REQUEST)
    assert response.status_code == 201, response.text
    script_id = response.json()["site_script"]["id"]
    row = site.db(lambda s: s.query(SiteScript).filter_by(script_id=script_id).one())
    assert row.app_client_id is None

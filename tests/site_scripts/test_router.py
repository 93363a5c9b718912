"""HTTP tests for /site_scripts.

https://developers.thinkific.com/api/api-documentation/#/Site%20Scripts. A script's id is a
string; POST and GET-one wrap the script in ``site_script`` (FIDELITY §6.7, §10 #7), the list's
items are bare. Writes fire no Thinkific topic: each records an internal ``site_script.*`` event,
the script with alphabetical keys.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from syllabus.models import SiteScript
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.site_scripts.helpers import (
    BOTH_INPUTS,
    CONTENT,
    CONTENT_REQUEST,
    FIELD_ORDER,
    FIXED_TEXT,
    INVALID_HEADER,
    INVALID_SOURCE,
    MISSING_HEADER,
    MISSING_INPUT,
    NO_SUCH_SCRIPT,
    NOW_TEXT,
    SIGNATURE,
    SRC,
    SRC_REQUEST,
    ULID,
    frozen_clock,
    new_script,
    script_body,
    sign,
    signed,
    stored_scripts,
)
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
    pagination,
)

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)
ADMIN = {"Authorization": "Bearer test-admin-token"}
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
NAME_FORM = "Form Script"
# Sources that are no absolute http(s) URL.
NOT_WEB_URLS = [
    "site-script.js",
    "/assets/site-script.js",
    "//your-site.com/site-script.js",
    "ftp://your-site.com/site-script.js",
    "javascript:alert(1)",
    "https://",
    "https:///site-script.js",
    "https://your site.com/site-script.js",
    " https://your-site.com/site-script.js",
    "http://[::1/site-script.js",
]
# A field of the request, what it is sent as, and the 422 field map that refuses it.
FIELD_ERRORS = [
    ("name", None, "can't be blank"),
    ("name", "   ", "can't be blank"),
    ("name", "n" * 256, "is too long (maximum is 255 characters)"),
    ("description", None, "can't be blank"),
    ("description", "", "can't be blank"),
    ("page_scopes", None, "can't be blank"),
    ("page_scopes", [], "can't be blank"),
    ("page_scopes", ["landing_pages", "everywhere"], "is not included in the list"),
    ("category", None, "can't be blank"),
    ("category", "advertising", "is not included in the list"),
    ("location", "middle", "is not included in the list"),
    ("load_method", "sync", "is not included in the list"),
    ("src", "https://your-site.com/" + "s" * 2030, "is too long (maximum is 2048 characters)"),
]


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in keys}


def create(site: SiteClient, body: dict[str, Any], **kwargs: Any) -> Any:
    return site.post("/site_scripts", json=body, **kwargs)


def created_id(site: SiteClient, body: dict[str, Any], **kwargs: Any) -> str:
    response = create(site, body, **kwargs)
    assert response.status_code == 201, response.text
    return str(response.json()["site_script"]["id"])


def read(site: SiteClient, id: str) -> dict[str, Any]:
    response = site.get(f"/site_scripts/{id}")
    assert response.status_code == 200, response.text
    return response.json()["site_script"]  # type: ignore[no-any-return]


class TestListSiteScripts:
    def test_a_new_site_has_none(self, site: SiteClient) -> None:
        assert_answers(site.get("/site_scripts"), 200, EMPTY_PAGE)

    def test_items_are_whole_unwrapped_scripts(self, site: SiteClient) -> None:
        by_src = new_script(site)
        by_content = new_script(site, content=CONTENT, location="head", load_method="defer")
        expected = [
            script_body(by_src, created_at=FIXED_TEXT, updated_at=FIXED_TEXT),
            script_body(
                by_content,
                content=CONTENT,
                src=None,
                location="head",
                load_method="defer",
                created_at=FIXED_TEXT,
                updated_at=FIXED_TEXT,
            ),
        ]
        response = site.get("/site_scripts")
        assert_answers(
            response, 200, {"items": expected, "meta": {"pagination": pagination(1, 25, 2, 2)}}
        )
        assert [list(item) for item in response.json()["items"]] == [FIELD_ORDER] * 2

    def test_pages_in_creation_order(self, site: SiteClient, other_site: SiteClient) -> None:
        ids = [new_script(site) for _ in range(5)]
        new_script(other_site)
        assert_five_by_two(site, "/site_scripts", ids)  # type: ignore[arg-type]

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1/site_scripts", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestCreateSiteScript:
    def test_with_src(self, site: SiteClient) -> None:
        response = create(site, SRC_REQUEST)
        assert response.status_code == 201
        body = response.json()
        assert list(body) == ["site_script"]
        id = body["site_script"]["id"]
        assert ULID.match(id)
        assert_answers(response, 201, {"site_script": script_body(id)})
        assert list(body["site_script"]) == FIELD_ORDER
        assert stored_scripts(site) == [(id, SRC, None, None)]
        # The script alphabetically; its id is the public one.
        assert_recorded(site, ("site_script.created", alphabetical(script_body(id))))

    def test_with_content_signed_with_the_api_key(self, site: SiteClient) -> None:
        response = create(site, CONTENT_REQUEST, headers=signed(site))
        assert response.status_code == 201, response.text
        id = response.json()["site_script"]["id"]
        expected = script_body(id, content=CONTENT, src=None)
        assert_answers(response, 201, {"site_script": expected})
        assert stored_scripts(site) == [(id, None, CONTENT, None)]
        assert_recorded(site, ("site_script.created", alphabetical(expected)))

    def test_is_read_back_as_created(self, site: SiteClient) -> None:
        created = create(site, CONTENT_REQUEST, headers=signed(site)).json()
        assert_answers(site.get(f"/site_scripts/{created['site_script']['id']}"), 200, created)

    def test_the_signature_may_be_uppercase_hex(self, site: SiteClient) -> None:
        headers = {SIGNATURE: sign(CONTENT, site.key).upper()}
        assert create(site, CONTENT_REQUEST, headers=headers).status_code == 201

    def test_any_content_is_signed_as_utf8(self, site: SiteClient) -> None:
        content = "<script>\n  console.log('héllo ✓ 漢字');\n</script>"
        body = {**CONTENT_REQUEST, "content": content}
        id = created_id(site, body, headers=signed(site, content))
        assert read(site, id)["content"] == content

    def test_an_api_key_sent_as_bearer_signs_with_itself(self, site: SiteClient) -> None:
        headers = {"Authorization": f"Bearer {site.key}", **signed(site)}
        response = site.http.post(
            "/api/public/v1/site_scripts", json=CONTENT_REQUEST, headers=headers
        )
        assert response.status_code == 201, response.text

    def test_an_access_token_signs_with_itself(self, site: SiteClient) -> None:
        minted = site.http.post(f"/_syllabus/sites/{site.subdomain}/tokens", headers=ADMIN)
        token = minted.json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}

        def post(secret: str) -> Any:
            headers = {**bearer, SIGNATURE: sign(CONTENT, secret)}
            return site.http.post(
                "/api/public/v1/site_scripts", json=CONTENT_REQUEST, headers=headers
            )

        assert_answers(post(site.key), 422, INVALID_HEADER)
        assert post(token).status_code == 201

    def test_location_and_load_method_default_to_footer_and_async(self, site: SiteClient) -> None:
        id = created_id(site, without(SRC_REQUEST, "location", "load_method"))
        assert read(site, id) == script_body(id)

    def test_null_location_and_load_method_take_the_defaults(self, site: SiteClient) -> None:
        id = created_id(site, {**SRC_REQUEST, "location": None, "load_method": None})
        assert (read(site, id)["location"], read(site, id)["load_method"]) == ("footer", "async")

    def test_every_enum_value_is_kept(self, site: SiteClient) -> None:
        scopes = [
            "landing_pages",
            "checkout",
            "learning_experience",
            "all",
            "home_landing_page",
            "course_landing_page",
            "collections_landing_page",
            "bundle_landing_page",
            "coming_soon_page",
            "page_template",
            "checkout_thankyou_page",
            "student_dashboard",
            "course_player",
        ]
        sent = {
            **SRC_REQUEST,
            "page_scopes": scopes,
            "location": "head",
            "load_method": "default",
            "category": "functional",
        }
        id = created_id(site, sent)
        expected = script_body(
            id, page_scopes=scopes, location="head", load_method="default", category="functional"
        )
        assert read(site, id) == expected

    def test_a_form_post_with_rails_brackets(self, site: SiteClient) -> None:
        form = [
            ("src", SRC),
            ("name", NAME_FORM),
            ("description", "Counts visits"),
            ("page_scopes[]", "checkout"),
            ("page_scopes[]", "student_dashboard"),
            ("category", "analytics"),
        ]
        response = site.post(
            "/site_scripts",
            content=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201, response.text
        id = response.json()["site_script"]["id"]
        expected = script_body(
            id,
            name=NAME_FORM,
            description="Counts visits",
            page_scopes=["checkout", "student_dashboard"],
            category="analytics",
        )
        assert_answers(response, 201, {"site_script": expected})

    @pytest.mark.parametrize(
        "sent",
        [
            without(SRC_REQUEST, "src"),
            {**SRC_REQUEST, "src": None},
            {**SRC_REQUEST, "src": ""},
            {**SRC_REQUEST, "src": "   "},
            {**without(SRC_REQUEST, "src"), "content": ""},
            {**without(SRC_REQUEST, "src"), "content": " \n "},
        ],
        ids=["neither", "null-src", "empty-src", "blank-src", "empty-content", "blank-content"],
    )
    def test_neither_src_nor_content_is_the_missing_input_422(
        self, site: SiteClient, sent: dict[str, Any]
    ) -> None:
        assert_answers(create(site, sent, headers=signed(site, "")), 422, MISSING_INPUT)
        assert stored_scripts(site) == []

    def test_both_src_and_content_is_a_422(self, site: SiteClient) -> None:
        sent = {**SRC_REQUEST, "content": CONTENT}
        assert_answers(create(site, sent, headers=signed(site)), 422, BOTH_INPUTS)
        assert stored_scripts(site) == []
        assert recorded(site) == []

    @pytest.mark.parametrize("src", NOT_WEB_URLS)
    def test_a_src_that_is_no_absolute_web_url_is_the_invalid_source_422(
        self, site: SiteClient, src: str
    ) -> None:
        assert_answers(create(site, {**SRC_REQUEST, "src": src}), 422, INVALID_SOURCE)
        assert stored_scripts(site) == []

    @pytest.mark.parametrize(
        "src",
        [
            "http://cdn.example.com/a.js",
            "HTTPS://Example.COM:8443/a.js?v=2#x",
            "https://[::1]/a.js",
        ],
    )
    def test_any_absolute_web_url_is_a_source(self, site: SiteClient, src: str) -> None:
        id = created_id(site, {**SRC_REQUEST, "src": src})
        assert read(site, id)["src"] == src

    @pytest.mark.parametrize("header", [None, "", "   "], ids=["absent", "empty", "blank"])
    def test_content_without_a_signature_is_the_missing_header_422(
        self, site: SiteClient, header: str | None
    ) -> None:
        headers = {} if header is None else {SIGNATURE: header}
        assert_answers(create(site, CONTENT_REQUEST, headers=headers), 422, MISSING_HEADER)
        assert stored_scripts(site) == []

    def test_content_with_a_wrong_signature_is_the_invalid_header_422(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        wrong: dict[str, str | bytes] = {
            "garbage": "not-a-signature",
            "other content": sign(CONTENT + " ", site.key),
            "other key": sign(CONTENT, other_site.key),
            "sha1": sign(CONTENT, site.key)[:40],
            "not ascii": ("é" * 64).encode("latin-1"),
        }
        for name, signature in wrong.items():
            response = create(site, CONTENT_REQUEST, headers={SIGNATURE: signature})
            assert (response.status_code, response.json()) == (422, INVALID_HEADER), name
        assert stored_scripts(site) == []
        assert recorded(site) == []

    def test_the_misspelt_header_of_the_docs_signs_nothing(self, site: SiteClient) -> None:
        headers = {"HMAC-SHA265-SIGNATURE": sign(CONTENT, site.key)}
        assert_answers(create(site, CONTENT_REQUEST, headers=headers), 422, MISSING_HEADER)

    @pytest.mark.parametrize(("field", "value", "message"), FIELD_ERRORS)
    def test_a_bad_field_is_a_422_on_that_field(
        self, site: SiteClient, field: str, value: Any, message: str
    ) -> None:
        sent = without(SRC_REQUEST, field) if value is None else {**SRC_REQUEST, field: value}
        assert_answers(create(site, sent), 422, {"errors": {field: [message]}})
        assert stored_scripts(site) == []

    def test_every_missing_field_at_once(self, site: SiteClient) -> None:
        blank = ["can't be blank"]
        expected = {"name": blank, "description": blank, "page_scopes": blank, "category": blank}
        assert_answers(create(site, {"src": SRC}), 422, {"errors": expected})

    def test_a_body_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        assert_answers(create(site, [SRC_REQUEST]), 400, NOT_AN_OBJECT)  # type: ignore[arg-type]


class TestGetSiteScript:
    def test_returns_the_wrapped_script(self, site: SiteClient) -> None:
        id = new_script(site, category="analytics")
        expected = script_body(
            id, category="analytics", created_at=FIXED_TEXT, updated_at=FIXED_TEXT
        )
        response = site.get(f"/site_scripts/{id}")
        assert_answers(response, 200, {"site_script": expected})
        assert list(response.json()["site_script"]) == FIELD_ORDER

    @pytest.mark.parametrize("id", [NO_SUCH_SCRIPT, "abc", "1", "01arz3ndektsv4rrffq69g5fav"])
    def test_unknown_is_404(self, site: SiteClient, id: str) -> None:
        new_script(site)
        assert_answers(site.get(f"/site_scripts/{id}"), 404, RECORD_NOT_FOUND)

    def test_the_row_id_is_no_id(self, site: SiteClient) -> None:
        id = new_script(site)
        stored = site.db(lambda s: _row_id(s, id))
        assert_answers(site.get(f"/site_scripts/{stored}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_script_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/site_scripts/{new_script(other_site)}")


def _row_id(session: Any, script_id: str) -> int:
    return int(session.scalar(select(SiteScript.id).where(SiteScript.script_id == script_id)))


class TestUpdateSiteScript:
    def test_replaces_the_fields(self, site: SiteClient) -> None:
        id = new_script(site)
        sent = {
            "src": "https://cdn.your-site.com/v2.js",
            "name": "Renamed",
            "description": "Now on checkout",
            "page_scopes": ["checkout"],
            "location": "head",
            "load_method": "defer",
            "category": "functional",
        }
        response = site.put(f"/site_scripts/{id}", json=sent)
        assert response.status_code == 204
        assert response.content == b""
        expected = script_body(
            id,
            src="https://cdn.your-site.com/v2.js",
            name="Renamed",
            description="Now on checkout",
            page_scopes=["checkout"],
            location="head",
            load_method="defer",
            category="functional",
            created_at=FIXED_TEXT,
        )
        assert read(site, id) == expected
        assert_recorded(site, ("site_script.updated", alphabetical(expected)))

    def test_omitted_location_and_load_method_are_kept(self, site: SiteClient) -> None:
        id = new_script(site, location="head", load_method="default")
        sent = without(SRC_REQUEST, "location", "load_method")
        assert site.put(f"/site_scripts/{id}", json=sent).status_code == 204
        assert read(site, id) == script_body(
            id, location="head", load_method="default", created_at=FIXED_TEXT
        )

    def test_content_replaces_src(self, site: SiteClient) -> None:
        id = new_script(site)
        response = site.put(f"/site_scripts/{id}", json=CONTENT_REQUEST, headers=signed(site))
        assert response.status_code == 204, response.text
        assert read(site, id) == script_body(id, content=CONTENT, src=None, created_at=FIXED_TEXT)
        assert stored_scripts(site) == [(id, None, CONTENT, None)]

    def test_src_replaces_content(self, site: SiteClient) -> None:
        id = new_script(site, content=CONTENT)
        assert site.put(f"/site_scripts/{id}", json=SRC_REQUEST).status_code == 204
        assert read(site, id) == script_body(id, created_at=FIXED_TEXT)
        assert stored_scripts(site) == [(id, SRC, None, None)]

    @pytest.mark.parametrize(
        ("sent", "headers", "expected"),
        [
            (without(SRC_REQUEST, "src"), {}, MISSING_INPUT),
            ({**SRC_REQUEST, "content": CONTENT}, None, BOTH_INPUTS),
            ({**SRC_REQUEST, "src": "ftp://your-site.com/a.js"}, {}, INVALID_SOURCE),
            (CONTENT_REQUEST, {}, MISSING_HEADER),
            (CONTENT_REQUEST, {SIGNATURE: "0" * 64}, INVALID_HEADER),
            (without(SRC_REQUEST, "name"), {}, {"errors": {"name": ["can't be blank"]}}),
        ],
        ids=["missing-input", "both", "invalid-source", "missing-header", "invalid-header", "name"],
    )
    def test_refusals_change_nothing(
        self,
        site: SiteClient,
        sent: dict[str, Any],
        headers: dict[str, str] | None,
        expected: dict[str, Any],
    ) -> None:
        id = new_script(site)
        before = read(site, id)
        response = site.put(
            f"/site_scripts/{id}", json=sent, headers=signed(site) if headers is None else headers
        )
        assert_answers(response, 422, expected)
        assert read(site, id) == before
        assert recorded(site) == []

    @pytest.mark.parametrize("id", [NO_SUCH_SCRIPT, "abc"])
    def test_unknown_is_404(self, site: SiteClient, id: str) -> None:
        assert_answers(site.put(f"/site_scripts/{id}", json=SRC_REQUEST), 404, RECORD_NOT_FOUND)

    def test_an_unknown_script_is_404_before_its_source_is_checked(self, site: SiteClient) -> None:
        sent = without(SRC_REQUEST, "src")
        response = site.put(f"/site_scripts/{NO_SUCH_SCRIPT}", json=sent)
        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_another_sites_script_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        id = new_script(other_site)
        sent = {**SRC_REQUEST, "name": "Hijacked"}
        assert_answers(site.put(f"/site_scripts/{id}", json=sent), 404, RECORD_NOT_FOUND)
        assert read(other_site, id)["name"] == SRC_REQUEST["name"]
        assert recorded(site) == recorded(other_site) == []


class TestDeleteSiteScript:
    def test_deletes_it(self, site: SiteClient) -> None:
        kept, deleted = new_script(site), new_script(site)
        response = site.delete(f"/site_scripts/{deleted}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/site_scripts/{deleted}"), 404, RECORD_NOT_FOUND)
        assert [item["id"] for item in site.get("/site_scripts").json()["items"]] == [kept]
        assert_answers(site.delete(f"/site_scripts/{deleted}"), 404, RECORD_NOT_FOUND)
        # The script as it was.
        was = script_body(deleted, created_at=FIXED_TEXT, updated_at=FIXED_TEXT)
        assert_recorded(site, ("site_script.deleted", alphabetical(was)))

    def test_another_sites_script_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        id = new_script(other_site)
        assert_answers(site.delete(f"/site_scripts/{id}"), 404, RECORD_NOT_FOUND)
        assert [row[0] for row in stored_scripts(other_site)] == [id]
        assert recorded(site) == recorded(other_site) == []


def test_ids_are_unique_and_time_ordered(site: SiteClient) -> None:
    ids = [created_id(site, SRC_REQUEST) for _ in range(5)]
    assert len(set(ids)) == 5
    listed = [item["id"] for item in site.get("/site_scripts").json()["items"]]
    assert listed == ids
    # The first ten characters are the creation time in milliseconds: never decreasing.
    assert [id[:10] for id in ids] == sorted(id[:10] for id in ids)


def test_timestamps_follow_the_site_clock(site: SiteClient, http: TestClient) -> None:
    """``created_at`` and ``updated_at`` are the site's "now" (frozen at NOW, an hour on)."""
    id = created_id(site, SRC_REQUEST)
    http.put(
        f"/_syllabus/sites/{site.subdomain}/clock", json={"advance_seconds": 3600}, headers=ADMIN
    )
    assert site.put(f"/site_scripts/{id}", json=SRC_REQUEST).status_code == 204
    assert (read(site, id)["created_at"], read(site, id)["updated_at"]) == (
        NOW_TEXT,
        "2025-01-10T10:15:30.250Z",
    )

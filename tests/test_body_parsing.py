"""Odd but legal requests found by fuzzing the server with schemathesis."""

from __future__ import annotations

import pytest

from tests.control.test_router import ADMIN
from tests.factories import make_user
from tests.support import SiteClient, assert_answers


def test_digit_only_query_keys_on_a_write_are_not_a_crash(site: SiteClient) -> None:
    response = site.delete("/users/0?0=false")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found."}


def test_digit_only_form_keys_are_ignored_fields(site: SiteClient) -> None:
    response = site.post(
        "/users",
        content="0=zero&first_name=A&last_name=B&email=digits%40example.com",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 201
    assert response.json()["email"] == "digits@example.com"


def test_a_json_null_body_is_an_empty_body(site: SiteClient) -> None:
    response = site.post("/users", content=b"null", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "first_name": ["can't be blank"],
            "last_name": ["can't be blank"],
            "email": ["can't be blank"],
        }
    }


def test_empty_strings_are_blank(site: SiteClient) -> None:
    user = make_user(site)
    response = site.put(f"/users/{user}", json={"first_name": "", "email": ""})
    assert response.status_code == 422
    assert response.json() == {
        "errors": {"first_name": ["can't be blank"], "email": ["can't be blank"]}
    }


def test_admin_token_works_beside_site_credentials(site: SiteClient) -> None:
    response = site.http.get(
        f"/_syllabus/sites/{site.subdomain}", headers={**site.headers, **ADMIN}
    )
    assert response.status_code == 200
    assert response.json()["subdomain"] == site.subdomain


NUL = {"error": "Parameters may not contain a null character."}


class TestNulCharacters:
    """PostgreSQL cannot store a NUL: anywhere in the parameters it is a 400, on both databases,
    and nothing is written."""

    def test_in_a_json_body(self, site: SiteClient) -> None:
        body = {"first_name": "A\x00B", "last_name": "C", "email": "nul@example.com"}
        assert_answers(site.post("/users", json=body), 400, NUL)
        assert site.get("/users").json()["meta"]["pagination"]["total_items"] == 0

    def test_in_a_form_body(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            content="first_name=A%00B&last_name=C&email=nul%40example.com",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_answers(response, 400, NUL)

    def test_in_a_custom_field_value(self, site: SiteClient) -> None:
        user = make_user(site)
        fields = [{"custom_profile_field_definition_id": 1, "value": "x\x00"}]
        response = site.put(f"/users/{user}", json={"custom_profile_fields": fields})
        assert_answers(response, 400, NUL)

    def test_in_a_key(self, site: SiteClient) -> None:
        response = site.post("/users", json={"first\x00name": "A"})
        assert_answers(response, 400, NUL)

    @pytest.mark.parametrize(
        "query",
        ["query%5Bemail%5D=a%00b%40example.com", "query%5Bexternal_source%5D=%00", "page=1%00"],
    )
    def test_in_a_filter(self, site: SiteClient, query: str) -> None:
        assert_answers(site.get(f"/users?{query}"), 400, NUL)

    def test_in_an_external_id_path(self, site: SiteClient) -> None:
        assert_answers(site.get("/users/ab%00c?provider=SSO"), 400, NUL)


class TestParametersFromTheBody:
    """Rails merges a JSON or form body into ``params`` whatever the method; the body wins."""

    def test_a_get_pages_with_a_json_body(self, site: SiteClient) -> None:
        ids = [make_user(site) for _ in range(3)]
        response = site.get("/users?page=1", content=b'{"page": 2, "limit": 1}', headers=JSON)
        assert [item["id"] for item in response.json()["items"]] == [ids[1]]
        assert response.json()["meta"]["pagination"]["current_page"] == 2

    def test_a_get_filters_with_a_form_body(self, site: SiteClient) -> None:
        make_user(site)
        wanted = make_user(site, email="wanted@example.com")
        response = site.get("/users", content="query[email]=WANTED%40example.com", headers=FORM)
        assert [item["id"] for item in response.json()["items"]] == [wanted]

    def test_nested_json_filters(self, site: SiteClient) -> None:
        make_user(site)
        wanted = make_user(site, email="nested@example.com")
        body = b'{"query": {"email": "nested@example.com"}}'
        response = site.get("/users?query[email]=nobody@example.com", content=body, headers=JSON)
        assert [item["id"] for item in response.json()["items"]] == [wanted]

    def test_a_delete_reads_its_body(self, site: SiteClient) -> None:
        user = make_user(site, external_id="ext-9", provider="SSO")
        response = site.delete("/users/ext-9", content=b'{"provider": "SSO"}', headers=JSON)
        assert response.status_code == 204
        assert site.get(f"/users/{user}").status_code == 404

    def test_a_get_with_a_broken_body_is_a_400(self, site: SiteClient) -> None:
        response = site.get("/users", content=b'{"page": ', headers=JSON)
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")

    def test_a_body_that_is_not_an_object_is_a_400(self, site: SiteClient) -> None:
        response = site.get("/users", content=b"[1, 2]", headers=JSON)
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})


JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

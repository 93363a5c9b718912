"""Odd but legal requests found by fuzzing the server with schemathesis."""

from __future__ import annotations

from tests.control.test_router import ADMIN
from tests.factories import make_user
from tests.support import SiteClient


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

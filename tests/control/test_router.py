"""HTTP tests for the control plane, /_syllabus/..."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_course, make_user
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}


def created_site(http: TestClient, **body: Any) -> dict[str, Any]:
    response = http.post("/_syllabus/sites", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestAdminToken:
    @pytest.mark.parametrize(
        "headers",
        [{}, {"Authorization": "Bearer wrong"}, {"X-Syllabus-Admin-Token": "wrong"}],
    )
    def test_wrong_or_missing_token_is_401(self, http: TestClient, headers: dict[str, str]) -> None:
        response = http.get("/_syllabus/sites", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Authentication Error"}

    def test_a_site_api_key_is_not_an_admin_token(self, site: SiteClient) -> None:
        response = site.http.get("/_syllabus/sites", headers=site.headers)
        assert response.status_code == 401

    def test_alternative_header(self, http: TestClient) -> None:
        response = http.get(
            "/_syllabus/sites", headers={"X-Syllabus-Admin-Token": "test-admin-token"}
        )
        assert response.status_code == 200


class TestSites:
    def test_create_with_a_random_subdomain_and_use_it(self, http: TestClient) -> None:
        body = created_site(http)
        assert body == {
            "id": body["id"],
            "subdomain": body["subdomain"],
            "name": body["subdomain"],
            "global_id": body["global_id"],
            "created_at": body["created_at"],
            "clock_offset_seconds": 0.0,
            "rate_limit_per_minute": None,
            "api_key": body["api_key"],
        }
        assert len(body["api_key"]) == 32
        assert int(body["api_key"], 16) >= 0
        response = http.get(
            "/api/public/v1/users",
            headers={"X-Auth-API-Key": body["api_key"], "X-Auth-Subdomain": body["subdomain"]},
        )
        assert response.status_code == 200

    def test_create_with_given_subdomain_and_key(self, http: TestClient) -> None:
        key = "ab" * 16
        body = created_site(http, subdomain="given-sub-1", api_key=key, name="Given")
        assert (body["subdomain"], body["api_key"], body["name"]) == ("given-sub-1", key, "Given")
        again = http.post("/_syllabus/sites", json={"subdomain": "given-sub-1"}, headers=ADMIN)
        assert again.status_code == 422
        assert again.json() == {
            "errors": {"subdomain": ["a site with subdomain 'given-sub-1' already exists"]}
        }

    @pytest.mark.parametrize(
        ("body", "field"),
        [({"subdomain": "Bad Sub!"}, "subdomain"), ({"api_key": "short"}, "api_key")],
    )
    def test_invalid_input_is_422(self, http: TestClient, body: dict[str, str], field: str) -> None:
        response = http.post("/_syllabus/sites", json=body, headers=ADMIN)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == [field]

    def test_get_list_and_delete(self, http: TestClient) -> None:
        body = created_site(http)
        subdomain = body["subdomain"]
        got = http.get(f"/_syllabus/sites/{subdomain}", headers=ADMIN).json()
        assert got == {k: v for k, v in body.items() if k != "api_key"}
        last = http.get("/_syllabus/sites", params={"limit": 1}, headers=ADMIN).json()
        newest = http.get(
            "/_syllabus/sites",
            params={"limit": 1, "page": last["meta"]["pagination"]["total_pages"]},
            headers=ADMIN,
        ).json()
        assert [s["subdomain"] for s in newest["items"]] == [subdomain]
        assert http.delete(f"/_syllabus/sites/{subdomain}", headers=ADMIN).status_code == 204
        missing = http.get(f"/_syllabus/sites/{subdomain}", headers=ADMIN)
        assert missing.status_code == 404
        assert missing.json() == {"error": "Record not found."}
        old_key = http.get(
            "/api/public/v1/users",
            headers={"X-Auth-API-Key": body["api_key"], "X-Auth-Subdomain": subdomain},
        )
        assert old_key.status_code == 401

    def test_reset_keeps_keys_and_drops_data(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_user(site)
        make_course(site)
        theirs = make_user(other_site)
        response = site.http.post(f"/_syllabus/sites/{site.subdomain}/reset", headers=ADMIN)
        assert response.status_code == 204
        assert site.get("/users").json()["meta"]["pagination"]["total_items"] == 0
        assert other_site.get(f"/users/{theirs}").status_code == 200

    def test_more_keys_and_tokens(self, site: SiteClient) -> None:
        key = site.http.post(f"/_syllabus/sites/{site.subdomain}/keys", headers=ADMIN).json()
        assert (
            site.http.get(
                "/api/public/v1/users",
                headers={"X-Auth-API-Key": key["api_key"], "X-Auth-Subdomain": site.subdomain},
            ).status_code
            == 200
        )
        token = site.http.post(f"/_syllabus/sites/{site.subdomain}/tokens", headers=ADMIN).json()
        assert token["token_type"] == "bearer"
        assert len(token["access_token"]) > 32
        bearer = site.http.get(
            "/api/public/v1/users", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert bearer.status_code == 200

    def test_unknown_site_is_404_everywhere(self, http: TestClient) -> None:
        for method, path in [
            ("DELETE", "/_syllabus/sites/nope-nope"),
            ("POST", "/_syllabus/sites/nope-nope/reset"),
            ("POST", "/_syllabus/sites/nope-nope/keys"),
            ("GET", "/_syllabus/sites/nope-nope/clock"),
            ("GET", "/_syllabus/sites/nope-nope/events"),
        ]:
            response = http.request(method, path, headers=ADMIN)
            assert (response.status_code, response.json()) == (
                404,
                {"error": "Record not found."},
            ), path


class TestClock:
    def test_advance_moves_the_sites_now(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/clock"
        before = site.http.get(path, headers=ADMIN).json()
        assert before["offset_seconds"] == 0.0
        moved = site.http.put(path, json={"advance_seconds": 86400}, headers=ADMIN).json()
        assert moved["offset_seconds"] == 86400.0
        now = datetime.fromisoformat(moved["now"].replace("Z", "+00:00"))
        assert now - datetime.now(UTC) > timedelta(hours=23)
        created = site.post(
            "/users", json={"first_name": "A", "last_name": "B", "email": "clock@example.com"}
        ).json()
        created_at = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
        assert created_at - datetime.now(UTC) > timedelta(hours=23)

    def test_set_absolute_time(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/clock"
        body = site.http.put(path, json={"now": "2030-01-01T00:00:00Z"}, headers=ADMIN).json()
        assert body["now"].startswith("2030-01-01T00:00:0")

    def test_exactly_one_setting(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/clock"
        response = site.http.put(
            path, json={"advance_seconds": 1, "offset_seconds": 2}, headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"base": ["set exactly one of now, offset_seconds, advance_seconds"]}
        }


class TestEvents:
    def test_lists_the_sites_events(self, site: SiteClient, other_site: SiteClient) -> None:
        created = site.post(
            "/users", json={"first_name": "A", "last_name": "B", "email": "ev@example.com"}
        ).json()
        site.put(f"/users/{created['id']}", json={"first_name": "C"})
        other_site.post(
            "/users", json={"first_name": "A", "last_name": "B", "email": "ev@example.com"}
        )
        body = site.http.get(f"/_syllabus/sites/{site.subdomain}/events", headers=ADMIN).json()
        assert [(e["resource"], e["action"]) for e in body["items"]] == [
            ("user", "signup"),
            ("user", "updated"),
        ]
        assert body["items"][0]["payload"] == created
        # The webhook payload convention: the user object, keys in alphabetical order.
        assert list(body["items"][0]["payload"]) == sorted(created)
        assert all(len(e["id"]) == 23 and e["id"].isdigit() for e in body["items"])
        assert [e["internal"] for e in body["items"]] == [False, False]
        assert body["meta"]["pagination"]["total_items"] == 2

    def test_a_write_with_no_thinkific_topic_records_an_internal_event(
        self, site: SiteClient
    ) -> None:
        created = site.post(
            "/users", json={"first_name": "A", "last_name": "B", "email": "gone@example.com"}
        ).json()
        assert site.delete(f"/users/{created['id']}").status_code == 204
        body = site.http.get(f"/_syllabus/sites/{site.subdomain}/events", headers=ADMIN).json()
        deleted = body["items"][-1]
        assert (deleted["resource"], deleted["action"], deleted["internal"]) == (
            "user",
            "deleted",
            True,
        )
        assert deleted["payload"] == created  # the user as it was

    def test_the_writes_of_resources_without_thinkific_topics_are_listed_as_internal(
        self, site: SiteClient
    ) -> None:
        category = site.post(
            "/collections", json={"name": "Business", "description": "Money", "slug": "business"}
        ).json()
        group = site.post("/groups", json={"name": "Sales"}).json()["group"]
        assert site.delete(f"/groups/{group['id']}").status_code == 204
        body = site.http.get(f"/_syllabus/sites/{site.subdomain}/events", headers=ADMIN).json()
        assert [(e["resource"], e["action"], e["internal"]) for e in body["items"]] == [
            ("collection", "created", True),
            ("group", "created", True),
            ("group", "deleted", True),
        ]
        assert [e["payload"] for e in body["items"]] == [category, group, group]
        assert all(list(e["payload"]) == sorted(e["payload"]) for e in body["items"])

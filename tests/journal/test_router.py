"""The request journal over HTTP: what is recorded, redacted and kept, and
``GET /_syllabus/sites/{sub}/requests``."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from syllabus.db import Database
from syllabus.journal.recorder import FLUSH_SECONDS
from syllabus.models import JournalEntry
from tests.factories import make_oauth_token
from tests.journal.helpers import ADMIN, entries, entry, journal
from tests.support import (
    EMPTY_PAGE,
    PAGINATION_FIELDS,
    PREFIX,
    SiteClient,
    client_with,
    pagination,
)

USER = (
    b'{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",'
    b'"password":"correct horse"}'
)
JSON = {"Content-Type": "application/json"}


def with_app(site: SiteClient, http: TestClient) -> SiteClient:
    """``site`` through another app (one built with other settings) on the same database."""
    return SiteClient(http, site.database, site.id, site.subdomain, site.key)


class TestRecording:
    def test_a_create_is_recorded_whole_with_its_password_redacted(self, site: SiteClient) -> None:
        response = site.post("/users", content=USER, headers=JSON)
        assert response.status_code == 201, response.text
        [recorded] = entries(site)
        assert recorded == entry(
            recorded,
            method="POST",
            status=201,
            request_body='{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",'
            '"password":"[REDACTED]"}',
            response_body=response.text,
        )
        assert "correct horse" not in str(journal(site))

    def test_a_read_keeps_its_query_and_answer(self, site: SiteClient) -> None:
        site.post("/users", content=USER, headers=JSON)
        response = site.get("/users", params={"limit": 1, "query[email]": "ada@example.com"})
        recorded = entries(site)[-1]
        assert recorded == entry(
            recorded,
            query="limit=1&query%5Bemail%5D=ada%40example.com",
            response_body=response.text,
        )

    def test_v2_requests_are_recorded_after_their_prefix(self, site: SiteClient) -> None:
        response = site.http.get("/api/v2/webhooks", headers=site.headers)
        assert response.status_code == 200
        [recorded] = entries(site)
        assert recorded == entry(recorded, api="v2", path="/webhooks", response_body=response.text)

    def test_bad_credentials_name_no_site_and_are_not_recorded(self, site: SiteClient) -> None:
        bad = {"X-Auth-API-Key": "0" * 32, "X-Auth-Subdomain": site.subdomain}
        assert site.http.get(f"{PREFIX}/users", headers=bad).status_code == 401
        assert journal(site) == EMPTY_PAGE

    def test_an_unknown_route_with_good_credentials_is_recorded(self, site: SiteClient) -> None:
        response = site.http.get(f"{PREFIX}/nowhere", headers=site.headers)
        assert response.status_code == 404
        [recorded] = entries(site)
        assert recorded == entry(recorded, path="/nowhere", status=404, response_body=response.text)

    @pytest.mark.parametrize(
        ("content", "content_type"),
        [
            (
                b"first_name=Ada&user%5Bpassword%5D=s3cret&last_name=L",
                "application/x-www-form-urlencoded",
            ),
            (
                b'--b\r\nContent-Disposition: form-data; name="password"\r\n\r\ns3cret\r\n--b--\r\n',
                "multipart/form-data; boundary=b",
            ),
        ],
    )
    def test_secrets_in_forms_are_redacted(
        self, site: SiteClient, content: bytes, content_type: str
    ) -> None:
        site.http.post(
            f"{PREFIX}/users",
            content=content,
            headers={**site.headers, "Content-Type": content_type},
        )
        [recorded] = entries(site)
        assert recorded["request_body"] == content.decode().replace("s3cret", "[REDACTED]")

    def test_secrets_in_the_query_are_redacted(self, site: SiteClient) -> None:
        site.get("/users", params={"access_token": "s3cret", "page": "1"})
        [recorded] = entries(site)
        assert recorded["query"] == "access_token=[REDACTED]&page=1"

    def test_credential_headers_are_never_recorded(self, site: SiteClient) -> None:
        site.get("/users")
        assert site.key not in str(journal(site))

    def test_each_credential_type_is_named(self, site: SiteClient) -> None:
        token = site.http.post(f"/_syllabus/sites/{site.subdomain}/tokens", headers=ADMIN)
        access_token = token.json()["access_token"]
        oauth_token = make_oauth_token(site, ["read:users"])
        for headers in (
            site.headers,
            {"Authorization": f"Bearer {site.key}"},
            {"Authorization": f"Bearer {access_token}"},
            {"Authorization": f"Bearer {oauth_token}"},
        ):
            assert site.http.get(f"{PREFIX}/users", headers=headers).status_code == 200
        assert [e["credential"] for e in entries(site)] == [
            "api_key",
            "api_key",
            "access_token",
            "oauth",
        ]

    def test_the_rate_limiters_429_is_recorded(self, site: SiteClient) -> None:
        limited = site.http.patch(
            f"/_syllabus/sites/{site.subdomain}",
            json={"rate_limit_per_minute": 1},
            headers=ADMIN,
        )
        assert limited.status_code == 200
        assert site.get("/users").status_code == 200
        refused = site.get("/users")
        assert refused.status_code == 429
        assert [e["status"] for e in entries(site)] == [200, 429]
        recorded = entries(site)[-1]
        assert recorded == entry(
            recorded, status=429, response_body='{"error":"Rate Limit Exceeded"}'
        )

    def test_bodies_are_cut_at_the_configured_size(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url, journal_body_bytes=12) as http:
            cut = with_app(site, http)
            response = cut.post("/users", content=USER, headers=JSON)
            assert response.status_code == 201
            [recorded] = journal(cut)["items"]
        assert recorded == entry(
            recorded,
            method="POST",
            status=201,
            request_body='{"first_name',
            request_truncated=True,
            response_body=response.text[:12],
            response_truncated=True,
        )

    def test_a_cut_secret_is_still_redacted(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url, journal_body_bytes=20) as http:
            cut = with_app(site, http)
            cut.post("/users", content=b'{"password":"correct horse battery"}', headers=JSON)
            [recorded] = journal(cut)["items"]
        assert recorded["request_body"] == '{"password":"[REDACTED]"'
        assert recorded["request_truncated"] is True

    def test_no_bodies_are_kept_at_zero_bytes(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url, journal_body_bytes=0) as http:
            quiet = with_app(site, http)
            assert quiet.post("/users", content=USER, headers=JSON).status_code == 201
            assert quiet.get("/users/0").status_code == 404
            created, missing = journal(quiet)["items"]
        assert created == entry(
            created,
            method="POST",
            status=201,
            request_truncated=True,
            response_truncated=True,
        )
        assert missing == entry(missing, path="/users/0", status=404, response_truncated=True)

    def test_a_journal_of_size_0_records_nothing(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url, journal_size="off") as http:
            off = with_app(site, http)
            assert off.get("/users").status_code == 200
            assert journal(off) == EMPTY_PAGE

    def test_entries_reach_the_database_without_a_read(
        self, site: SiteClient, database: Database
    ) -> None:
        """The recorder writes every FLUSH_SECONDS by itself: other processes see the entries."""
        site.get("/users")

        def written() -> int:
            count = select(func.count()).where(JournalEntry.site_id == site.id)
            return int(site.db(lambda session: session.scalar(count)) or 0)

        deadline = time.monotonic() + 5.0
        while written() == 0:
            assert time.monotonic() < deadline, "the entry was not written within 5 s"
            time.sleep(0.02)


class TestListRequests:
    def test_oldest_first_in_pages(self, site: SiteClient) -> None:
        for number in range(5):
            site.get("/users", params={"page": number + 1})
        queries = [f"page={number + 1}" for number in range(5)]
        assert [e["query"] for e in entries(site)] == queries
        for page, (first, last) in enumerate([(0, 2), (2, 4), (4, 5)], start=1):
            body = journal(site, page=page, limit=2)
            assert [e["query"] for e in body["items"]] == queries[first:last]
            assert body["meta"]["pagination"] == pagination(page, 2, 5, last - first)
        assert set(body["meta"]["pagination"]) == set(PAGINATION_FIELDS)

    def test_filters_by_method_path_and_status(self, site: SiteClient) -> None:
        site.post("/users", content=USER, headers=JSON)
        user_id = site.get("/users").json()["items"][0]["id"]
        site.get(f"/users/{user_id}")
        site.get("/users/00")
        site.get("/courses")

        def paths(**filters: str | int) -> list[tuple[str, str, int]]:
            return [(e["method"], e["path"], e["status"]) for e in entries(site, **filters)]

        assert paths(method="POST") == [("POST", "/users", 201)]
        assert paths(method="post") == [("POST", "/users", 201)]
        assert paths(path="/users") == [("POST", "/users", 201), ("GET", "/users", 200)]
        assert paths(path="/users/*") == [
            ("GET", f"/users/{user_id}", 200),
            ("GET", "/users/00", 404),
        ]
        assert paths(path="/users/0?") == [("GET", "/users/00", 404)]
        assert paths(path="*s") == [
            ("POST", "/users", 201),
            ("GET", "/users", 200),
            ("GET", "/courses", 200),
        ]
        assert paths(status=404) == [("GET", "/users/00", 404)]
        assert paths(method="GET", path="/users*", status=200) == [
            ("GET", "/users", 200),
            ("GET", f"/users/{user_id}", 200),
        ]
        assert paths(path="/USERS") == []
        assert paths(status="abc") == []

    def test_a_glob_treats_like_wildcards_as_plain_characters(self, site: SiteClient) -> None:
        for path in ("/course_reviews", "/courseXreviews", "/a%b", "/a[b]"):
            site.http.get(f"{PREFIX}{path.replace('%', '%25')}", headers=site.headers)

        def paths(pattern: str) -> list[str]:
            return [e["path"] for e in entries(site, path=pattern)]

        assert paths("/course_*") == ["/course_reviews"]
        assert paths("/a%*") == ["/a%b"]
        assert paths("/a[*") == ["/a[b]"]
        assert paths("/a?b*") == ["/a%b", "/a[b]"]

    def test_another_sites_journal_is_invisible(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        other_site.get("/users")
        assert journal(site) == EMPTY_PAGE
        site.get("/courses")
        assert [e["path"] for e in entries(other_site)] == ["/users"]

    def test_the_newest_are_kept(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url, journal_size=3) as http:
            small = with_app(site, http)
            for number in range(5):
                small.get("/users", params={"page": number + 1})
                journal(small)  # a flush per request: each trims the ring
            kept = [e["query"] for e in journal(small)["items"]]
            assert kept == ["page=3", "page=4", "page=5"]
            for number in range(5, 9):
                small.get("/users", params={"page": number + 1})
            kept = [e["query"] for e in journal(small)["items"]]
            assert kept == ["page=7", "page=8", "page=9"]

    def test_a_round_writes_only_what_the_site_keeps(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        """Of more entries pending than the site keeps, the older are never written at all."""
        inserted: list[int] = []

        def count(_c: Any, _cursor: Any, sql: str, rows: Any, _context: Any, many: bool) -> None:
            if many and sql.startswith("INSERT INTO journal_entries"):
                inserted.append(len(rows))

        with client_with(database, database_url, journal_size=3) as http:
            engine = http.app.state.journal.database.engine  # type: ignore[attr-defined]
            event.listen(engine, "before_cursor_execute", count)
            small = with_app(site, http)
            for number in range(5):
                small.get("/users", params={"page": number + 1})
            kept = [e["query"] for e in journal(small)["items"]]
            assert kept == ["page=3", "page=4", "page=5"]
            assert inserted == [3]

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        response = http.get("/_syllabus/sites/nobody-here/requests", headers=ADMIN)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found."}

    def test_the_admin_token_is_required(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/requests"
        for headers in ({}, site.headers):
            response = site.http.get(path, headers=headers)
            assert response.status_code == 401
            assert response.json() == {"error": "Authentication Error"}

    def test_the_operation_and_its_filters_are_in_the_openapi(self, http: TestClient) -> None:
        document = http.get("/openapi.json").json()
        operation = document["paths"]["/_syllabus/sites/{subdomain}/requests"]["get"]
        assert operation["tags"] == ["Control plane"]
        assert operation["security"] == [{"AdminToken": []}]
        names = [parameter["name"] for parameter in operation["parameters"]]
        assert {"query[method]", "query[path]", "query[status]", "page", "limit"} <= set(names)
        schema = document["components"]["schemas"]["JournalEntryRead"]
        assert list(schema["properties"]) == [
            "id",
            "method",
            "api",
            "path",
            "query",
            "status",
            "latency_ms",
            "credential",
            "fault",
            "request_body",
            "request_truncated",
            "response_body",
            "response_truncated",
            "created_at",
        ]


class TestWipes:
    def test_a_reset_empties_the_journal(self, site: SiteClient) -> None:
        site.get("/users")
        site.get("/courses")
        reset = site.http.post(f"/_syllabus/sites/{site.subdomain}/reset", headers=ADMIN)
        assert reset.status_code == 204
        assert journal(site) == EMPTY_PAGE
        site.get("/courses")
        assert [e["path"] for e in entries(site)] == ["/courses"]

    def test_a_reset_empties_what_is_written_and_what_is_pending(self, site: SiteClient) -> None:
        site.get("/users")
        entries(site)  # written
        site.get("/courses")  # most likely still pending: the recorder writes every second
        reset = site.http.post(f"/_syllabus/sites/{site.subdomain}/reset", headers=ADMIN)
        assert reset.status_code == 204
        time.sleep(1.5 * FLUSH_SECONDS)  # a round of the recorder must not bring anything back
        assert journal(site) == EMPTY_PAGE

    def test_a_deleted_sites_pending_entries_are_dropped(
        self, site: SiteClient, other_site: SiteClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        site.get("/users")
        deleted = site.http.delete(f"/_syllabus/sites/{site.subdomain}", headers=ADMIN)
        assert deleted.status_code == 204
        other_site.get("/users")
        assert [e["path"] for e in entries(other_site)] == ["/users"]
        count = select(func.count()).where(JournalEntry.site_id == site.id)
        assert site.db(lambda session: session.scalar(count)) == 0
        assert "entries dropped" not in caplog.text

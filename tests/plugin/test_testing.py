"""syllabus.testing, through the plugin's own fixtures (this suite loads the plugin too)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import thinkific
import thinkific.client
import thinkific.utils

from syllabus import testing
from syllabus.testing import ControlPlaneError, SyllabusServer, ThinkificSite
from tests.servers import free_port

USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
SCHOOL = {
    "users": [USER],
    "courses": [{"slug": "intro", "name": "Intro"}],
}


@pytest.fixture
def other_site(syllabus_server: SyllabusServer) -> Iterator[ThinkificSite]:
    with syllabus_server.site() as site:
        yield site


def total(site: ThinkificSite, path: str) -> int:
    response = site.client.get(path)
    assert response.status_code == 200, response.text
    count: int = response.json()["meta"]["pagination"]["total_items"]
    return count


def ids(site: ThinkificSite, path: str) -> list[int]:
    return [item["id"] for item in site.client.get(path, params={"limit": 250}).json()["items"]]


class TestServer:
    def test_answers_on_loopback(self, syllabus_server: SyllabusServer) -> None:
        assert syllabus_server.url.startswith("http://127.0.0.1:")
        assert syllabus_server.admin.get("/healthz").json() == {"status": "ok"}
        unauthorized = httpx.post(f"{syllabus_server.url}/_syllabus/sites", timeout=10.0)
        assert unauthorized.status_code == 401

    def test_a_server_of_its_own_starts_and_stops_cleanly(self) -> None:
        with testing.server() as server, server.site() as site:
            assert site.client.post("/users", json=USER).status_code == 201
            url = server.url
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/healthz", timeout=2.0)
        server.stop()  # twice is harmless

    def test_an_external_server_is_used_as_it_is(
        self, syllabus_server: SyllabusServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SYLLABUS_URL", syllabus_server.url)
        monkeypatch.setenv("SYLLABUS_ADMIN_TOKEN", syllabus_server.admin_token)
        with testing.server() as external, external.site() as site:
            assert (external.external, external.url) == (True, syllabus_server.url)
            assert site.client.post("/users", json=USER).status_code == 201
            seen = syllabus_server.admin.get(f"/_syllabus/sites/{site.subdomain}")
            assert seen.status_code == 200
        assert syllabus_server.admin.get("/healthz").status_code == 200

    def test_an_external_server_needs_its_admin_token(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SYLLABUS_URL", "http://127.0.0.1:1")
        monkeypatch.delenv("SYLLABUS_ADMIN_TOKEN", raising=False)
        with pytest.raises(ValueError, match="SYLLABUS_ADMIN_TOKEN"):
            testing.server()


class TestSite:
    def test_a_fresh_site_is_empty_and_answers(self, thinkific_site: ThinkificSite) -> None:
        url = thinkific_site.server.url
        assert thinkific_site.base_url == f"{url}/api/public/v1"
        assert thinkific_site.api_url == f"{url}/api"
        assert thinkific_site.headers == {
            "X-Auth-API-Key": thinkific_site.api_key,
            "X-Auth-Subdomain": thinkific_site.subdomain,
        }
        assert thinkific_site.client.base_url == httpx.URL(f"{thinkific_site.base_url}/")
        assert total(thinkific_site, "/users") == 0

    def test_sites_cannot_see_each_other(
        self, thinkific_site: ThinkificSite, other_site: ThinkificSite
    ) -> None:
        created = thinkific_site.client.post("/users", json=USER).json()
        assert total(other_site, "/users") == 0
        assert other_site.client.get(f"/users/{created['id']}").status_code == 404
        assert other_site.client.post("/users", json=USER).status_code == 201
        assert total(thinkific_site, "/users") == 1

    def test_close_deletes_the_site(self, syllabus_server: SyllabusServer) -> None:
        site = syllabus_server.site()
        site.close()
        site.close()  # twice is harmless
        assert syllabus_server.admin.get(f"/_syllabus/sites/{site.subdomain}").status_code == 404

    def test_a_named_subdomain(self, syllabus_server: SyllabusServer) -> None:
        with syllabus_server.site("plugin-named") as site:
            assert site.subdomain == "plugin-named"
            with pytest.raises(ControlPlaneError, match="422"):
                syllabus_server.site("plugin-named")


class TestHelpers:
    def test_seed(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.seed(users=3, courses=2, enrollments=4, seed=7)
        counts = [total(thinkific_site, p) for p in ("/users", "/courses", "/enrollments")]
        assert counts == [3, 2, 4]

    def test_load(self, thinkific_site: ThinkificSite) -> None:
        result = thinkific_site.load(SCHOOL)
        assert result["sections"]["courses"]["created"] == 1
        courses = thinkific_site.client.get("/courses").json()["items"]
        assert [course["slug"] for course in courses] == ["intro"]

    def test_load_reports_problems(self, thinkific_site: ThinkificSite) -> None:
        with pytest.raises(ControlPlaneError, match="first_name: is required"):
            thinkific_site.load({"users": [{"email": "a@example.com"}]})

    def test_the_clock_expires_an_enrollment(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.load(SCHOOL)
        start = datetime(2030, 1, 1, tzinfo=UTC)
        assert start <= thinkific_site.clock.set(start) < start + timedelta(seconds=5)
        enrollment = enroll(thinkific_site, expiry=start + timedelta(days=1))
        assert read(thinkific_site, enrollment)["expired"] is False

        later = start + timedelta(days=2)
        assert later <= thinkific_site.clock.advance(2 * 86_400) < later + timedelta(seconds=5)
        assert thinkific_site.clock.now() >= later
        assert read(thinkific_site, enrollment)["expired"] is True

    def test_events_after_a_write(self, thinkific_site: ThinkificSite) -> None:
        created = thinkific_site.client.post("/users", json=USER).json()
        events = thinkific_site.events()
        assert [(e["resource"], e["action"], e["payload"]["id"]) for e in events] == [
            ("user", "signup", created["id"])
        ]

    def test_deliveries(self, thinkific_site: ThinkificSite) -> None:
        target = f"http://127.0.0.1:{free_port()}/hook"
        webhook = httpx.post(
            f"{thinkific_site.api_url}/v2/webhooks",
            json={"topic": "user.signup", "target_url": target},
            headers={"Authorization": f"Bearer {thinkific_site.api_key}"},
            timeout=10.0,
        )
        assert webhook.status_code == 201, webhook.text
        assert thinkific_site.deliveries() == []
        thinkific_site.client.post("/users", json=USER)
        deliveries = thinkific_site.deliveries()
        assert [(d["topic"], d["target_url"]) for d in deliveries] == [("user.signup", target)]

    def test_reset(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.load(SCHOOL)
        thinkific_site.reset()
        assert (total(thinkific_site, "/users"), total(thinkific_site, "/courses")) == (0, 0)
        assert thinkific_site.client.post("/users", json=USER).status_code == 201


def enroll(site: ThinkificSite, *, expiry: datetime) -> int:
    body = {
        "user_id": ids(site, "/users")[0],
        "course_id": ids(site, "/courses")[0],
        "activated_at": (expiry - timedelta(days=1)).isoformat(),
        "expiry_date": expiry.isoformat(),
    }
    response = site.client.post("/enrollments", json=body)
    assert response.status_code == 201, response.text
    enrollment_id: int = response.json()["id"]
    return enrollment_id


def read(site: ThinkificSite, enrollment_id: int) -> dict[str, Any]:
    body: dict[str, Any] = site.client.get(f"/enrollments/{enrollment_id}").json()
    return body


def test_the_thinkific_client_creates_a_user_and_finds_it_by_email(
    thinkific_site: ThinkificSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(thinkific.utils, "BASE_URL", thinkific_site.api_url)
    monkeypatch.setattr(thinkific.client, "BASE_URL", thinkific_site.api_url)
    client = thinkific.Thinkific(thinkific_site.api_key, thinkific_site.subdomain)

    created = client.users.create_user(USER)

    assert client.users.retrieve_user(created["id"]) == created
    found = client.users.list(email="ADA@example.com")
    assert found["items"] == [created]

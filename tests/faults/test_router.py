"""Fault and latency injection over HTTP: ``/_syllabus/sites/{sub}/faults``, and what each rule
does to the site's requests (and to nobody else's)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from syllabus.main import create_app
from tests.faults.helpers import ADMIN, add_fault, faults, post_fault, rule
from tests.journal.helpers import entries, entry
from tests.servers import serve_in_thread
from tests.support import (
    AUTHENTICATION_ERROR,
    EMPTY_PAGE,
    PREFIX,
    SiteClient,
    app_settings,
    client_with,
)

USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
USER_JSON = b'{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}'
JSON = {"Content-Type": "application/json"}
INTERNAL_ERROR = {"error": "Internal Server Error"}


def call(site: SiteClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """A request of the site, not checked against our OpenAPI: injected failures are not in it."""
    headers = {**site.headers, **kwargs.pop("headers", {})}
    return site.http.request(method, PREFIX + path, headers=headers, **kwargs)


def get(site: SiteClient, path: str) -> httpx.Response:
    return call(site, "GET", path)


def statuses(site: SiteClient, count: int, path: str = "/users") -> list[int]:
    return [get(site, path).status_code for _ in range(count)]


class TestCreateFault:
    def test_answers_201_with_the_rule(self, site: SiteClient) -> None:
        created = add_fault(
            site, method="post", path="/enrollments", action="commit_then_fail", times=1
        )
        assert created == rule(
            created,
            method="POST",
            path="/enrollments",
            action="commit_then_fail",
            times=1,
            remaining=1,
        )

    def test_a_probability_rule_draws_from_seed_0_unless_given(self, site: SiteClient) -> None:
        created = add_fault(site, action="status", status=503, probability=0.25)
        assert created == rule(created, status=503, probability=0.25, seed=0)
        seeded = add_fault(site, action="drop", probability=1, seed=42, delay_ms=5)
        assert seeded == rule(seeded, action="drop", probability=1.0, seed=42, delay_ms=5)

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({}, {"action": ["can't be blank"]}),
            ({"action": "explode"}, {"action": ["is not included in the list"]}),
            ({"action": "status"}, {"status": ["can't be blank"]}),
            ({"action": "status", "status": 404}, {"status": ["must be 429, 500, 502 or 503"]}),
            ({"action": "status", "status": "503"}, {"status": ["is not a number"]}),
            ({"action": "drop", "status": 503}, {"status": ["is only for action status"]}),
            ({"action": "delay"}, {"delay_ms": ["can't be blank"]}),
            (
                {"action": "delay", "delay_ms": 60_001},
                {"delay_ms": ["must be less than or equal to 60000"]},
            ),
            (
                {"action": "delay", "delay_ms": -1},
                {"delay_ms": ["must be greater than or equal to 0"]},
            ),
            ({"action": "drop", "times": 0}, {"times": ["must be greater than or equal to 1"]}),
            ({"action": "drop", "times": True}, {"times": ["is not a number"]}),
            (
                {"action": "drop", "probability": 1.5},
                {"probability": ["must be less than or equal to 1.0"]},
            ),
            (
                {"action": "drop", "times": 2, "probability": 0.5},
                {"probability": ["cannot be set with times"]},
            ),
            ({"action": "drop", "seed": 3}, {"seed": ["is only for probability"]}),
            ({"action": "drop", "method": "FETCH"}, {"method": ["is not included in the list"]}),
            ({"action": "drop", "path": "users"}, {"path": ["must start with / or *"]}),
            (
                {"action": "drop", "path": "/api/public/v1/users"},
                {"path": ["is the path after /api/public/v1 or /api/v2"]},
            ),
            ({"action": "drop", "path": ""}, {"path": ["can't be blank"]}),
        ],
    )
    def test_a_bad_rule_is_422_and_not_added(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        response = post_fault(site, **body)
        assert response.status_code == 422
        assert response.json() == {"errors": errors}
        assert faults(site) == []

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        response = http.post(
            "/_syllabus/sites/nobody-here/faults", json={"action": "drop"}, headers=ADMIN
        )
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found."}

    def test_the_admin_token_is_required(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/faults"
        for method in ("GET", "POST", "DELETE"):
            response = site.http.request(
                method, path, json={"action": "drop"}, headers=site.headers
            )
            assert response.status_code == 401
            assert response.json() == AUTHENTICATION_ERROR
        assert faults(site) == []


class TestListAndClearFaults:
    def test_lists_the_rules_in_the_order_they_are_tried(self, site: SiteClient) -> None:
        first = add_fault(site, action="status", status=503, times=2)
        second = add_fault(site, method="GET", path="/courses*", action="delay", delay_ms=1)
        assert get(site, "/users").status_code == 503
        assert faults(site) == [
            {**first, "matched": 1, "remaining": 1},
            second,
        ]

    def test_clearing_deletes_every_rule_of_the_site_only(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        add_fault(site, action="status", status=503)
        add_fault(site, action="drop", path="/courses")
        kept = add_fault(other_site, action="status", status=502)
        cleared = site.http.delete(f"/_syllabus/sites/{site.subdomain}/faults", headers=ADMIN)
        assert cleared.status_code == 204
        assert cleared.content == b""
        assert faults(site) == []
        assert get(site, "/users").status_code == 200
        assert faults(other_site) == [kept]
        assert get(other_site, "/users").status_code == 502

    def test_the_operations_are_in_the_openapi(self, http: TestClient) -> None:
        document = http.get("/openapi.json").json()
        operations = document["paths"]["/_syllabus/sites/{subdomain}/faults"]
        assert set(operations) == {"get", "post", "delete"}
        assert {op["tags"][0] for op in operations.values()} == {"Control plane"}
        assert list(document["components"]["schemas"]["FaultRead"]["properties"]) == [
            "id",
            "method",
            "path",
            "action",
            "status",
            "delay_ms",
            "times",
            "probability",
            "seed",
            "matched",
            "remaining",
            "created_at",
        ]
        create = document["components"]["schemas"]["FaultCreate"]["properties"]
        assert create["action"]["enum"] == ["status", "delay", "drop", "commit_then_fail"]


class TestStatusFaults:
    @pytest.mark.parametrize(
        ("status", "body"),
        [
            (500, {"error": "Internal Server Error"}),
            (502, {"error": "Bad Gateway"}),
            (503, {"error": "Service Unavailable"}),
        ],
    )
    def test_answers_thinkifics_body_writes_nothing_and_is_journaled(
        self, site: SiteClient, status: int, body: dict[str, str]
    ) -> None:
        add_fault(site, method="POST", path="/users", action="status", status=status, times=1)
        response = call(site, "POST", "/users", content=USER_JSON, headers=JSON)
        assert response.status_code == status
        assert response.json() == body
        assert get(site, "/users").json() == EMPTY_PAGE
        failed, listed = entries(site)
        assert failed == entry(
            failed,
            method="POST",
            status=status,
            fault="status",
            request_body=USER_JSON.decode(),
            response_body=response.text,
        )
        assert listed == entry(listed, response_body=EMPTY_PAGE_TEXT)

    def test_429_says_when_to_come_back(self, site: SiteClient) -> None:
        add_fault(site, action="status", status=429, times=1)
        before = time.time() * 1000
        response = get(site, "/users")
        assert response.status_code == 429
        assert response.json() == {"error": "Rate Limit Exceeded"}
        reset = int(response.headers["RateLimit-Reset"])
        assert before + 500 <= reset <= time.time() * 1000 + 1000 + 1
        assert response.headers["Retry-After"] == "1"
        assert get(site, "/users").status_code == 200


# GET /users of an empty site, as sent.
EMPTY_PAGE_TEXT = (
    '{"items":[],"meta":{"pagination":{"current_page":1,"next_page":null,"prev_page":null,'
    '"total_pages":0,"total_items":0,"entries_info":"0-0 of 0"}}}'
)


class TestMatching:
    def test_only_the_method_and_path_matched_are_faulted(self, site: SiteClient) -> None:
        add_fault(site, method="POST", path="/users", action="status", status=503)
        assert get(site, "/users").status_code == 200
        unknown = site.http.post(f"{PREFIX}/users/1/unknown", json={}, headers=site.headers)
        assert unknown.status_code == 404
        assert call(site, "POST", "/users", json=USER).status_code == 503

    def test_a_path_glob(self, site: SiteClient) -> None:
        add_fault(site, path="/users/*", action="status", status=502)
        assert get(site, "/users").status_code == 200
        assert get(site, "/users/12").status_code == 502
        assert get(site, "/users/12/x").status_code == 502
        assert site.http.get(f"{PREFIX}/Users/12", headers=site.headers).status_code == 404

    def test_a_v2_path(self, site: SiteClient) -> None:
        add_fault(site, method="GET", path="/webhooks", action="status", status=503)
        response = site.http.get("/api/v2/webhooks", headers=site.headers)
        assert response.status_code == 503
        assert get(site, "/users").status_code == 200

    def test_rules_are_tried_oldest_first_and_one_acts(self, site: SiteClient) -> None:
        add_fault(site, action="status", status=503, times=1)
        add_fault(site, action="status", status=502)
        assert statuses(site, 3) == [503, 502, 502]

    def test_another_site_is_untouched(self, site: SiteClient, other_site: SiteClient) -> None:
        add_fault(site, action="drop")
        assert call(other_site, "POST", "/users", json=USER).status_code == 201
        assert entries(other_site)[0]["fault"] is None

    def test_bad_credentials_are_never_faulted(self, site: SiteClient) -> None:
        add_fault(site, action="status", status=503)
        bad = {"X-Auth-API-Key": "0" * 32, "X-Auth-Subdomain": site.subdomain}
        response = site.http.get(f"{PREFIX}/users", headers=bad)
        assert response.status_code == 401
        assert response.json() == AUTHENTICATION_ERROR


class TestLimits:
    def test_times_expires_the_rule(self, site: SiteClient) -> None:
        created = add_fault(site, action="status", status=503, times=2)
        assert statuses(site, 4) == [503, 503, 200, 200]
        assert faults(site) == [{**created, "matched": 2, "remaining": 0}]

    def test_without_a_limit_every_match_acts(self, site: SiteClient) -> None:
        created = add_fault(site, path="/users", action="status", status=500)
        assert statuses(site, 3) == [500, 500, 500]
        assert get(site, "/courses").status_code == 200
        assert faults(site) == [{**created, "matched": 3}]

    def test_a_seed_gives_the_same_sequence(
        self, site: SiteClient, other_site: SiteClient, database: Database, http: TestClient
    ) -> None:
        add_fault(site, action="status", status=503, probability=0.5, seed=7)
        add_fault(other_site, action="status", status=503, probability=0.5, seed=7)
        first, second = statuses(site, 24), statuses(other_site, 24)
        assert first == second
        assert first.count(503) not in (0, 24)
        third = SiteClient(http, database, *_new_site(http))
        add_fault(third, action="status", status=503, probability=0.5, seed=8)
        assert statuses(third, 24) != first

    @pytest.mark.parametrize(("probability", "expected"), [(0, 200), (1, 503)])
    def test_probability_0_never_acts_and_1_always(
        self, site: SiteClient, probability: float, expected: int
    ) -> None:
        add_fault(site, action="status", status=503, probability=probability)
        assert statuses(site, 5) == [expected] * 5
        assert faults(site)[0]["matched"] == 5


def _new_site(http: TestClient) -> tuple[int, str, str]:
    created = http.post("/_syllabus/sites", json={}, headers=ADMIN).json()
    return created["id"], created["subdomain"], created["api_key"]


class TestDelay:
    def test_waits_then_answers_as_usual(self, site: SiteClient) -> None:
        add_fault(site, path="/users", action="delay", delay_ms=300, times=1)
        began = time.monotonic()
        response = get(site, "/users")
        assert time.monotonic() - began >= 0.3
        assert response.status_code == 200
        assert response.json() == EMPTY_PAGE
        [recorded] = entries(site)
        assert recorded == entry(recorded, fault="delay", response_body=EMPTY_PAGE_TEXT)
        assert recorded["latency_ms"] >= 300

    def test_a_delay_before_another_action(self, site: SiteClient) -> None:
        add_fault(site, action="status", status=503, delay_ms=200)
        began = time.monotonic()
        assert get(site, "/users").status_code == 503
        assert time.monotonic() - began >= 0.2


class TestCommitThenFail:
    def test_the_write_commits_and_the_client_gets_500(self, site: SiteClient) -> None:
        add_fault(site, method="POST", path="/users", action="commit_then_fail", times=1)
        response = call(site, "POST", "/users", content=USER_JSON, headers=JSON)
        assert response.status_code == 500
        assert response.json() == INTERNAL_ERROR
        [user] = get(site, "/users").json()["items"]
        assert user["email"] == "ada@example.com"
        events = site.http.get(f"/_syllabus/sites/{site.subdomain}/events", headers=ADMIN)
        topics = [f"{event['resource']}.{event['action']}" for event in events.json()["items"]]
        assert topics == ["user.signup"]
        # The client's retry finds the user it was told failed.
        retried = call(site, "POST", "/users", content=USER_JSON, headers=JSON)
        assert retried.status_code == 422
        assert retried.json() == {"errors": {"email": ["has already been taken"]}}
        failed = entries(site)[0]
        assert failed == entry(
            failed,
            method="POST",
            status=500,
            fault="commit_then_fail",
            request_body=USER_JSON.decode(),
            response_body='{"error":"Internal Server Error"}',
        )


@pytest.fixture
def served(database_url: str) -> Iterator[str]:
    """The app on a real socket (uvicorn in a thread), with a database of its own."""
    app = create_app(app_settings(database_url), Database(database_url))
    with serve_in_thread(app) as url:
        yield url


class TestDrop:
    def test_the_connection_closes_without_an_answer(self, site: SiteClient, served: str) -> None:
        add_fault(site, method="POST", path="/users", action="drop", times=1)
        with httpx.Client(base_url=served, headers=site.headers, timeout=10.0) as client:
            with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
                client.post(f"{PREFIX}/users", content=USER_JSON, headers=JSON)
            # Nothing was written, and the next request (a new connection) is answered.
            assert client.get(f"{PREFIX}/users").json() == EMPTY_PAGE
            path = f"/_syllabus/sites/{site.subdomain}/requests"
            journal = client.get(path, headers=ADMIN).json()
        dropped = journal["items"][0]
        assert dropped == entry(
            dropped,
            method="POST",
            status=None,
            fault="drop",
            request_body=USER_JSON.decode(),
        )

    def test_other_requests_on_the_server_are_answered(
        self, site: SiteClient, other_site: SiteClient, served: str
    ) -> None:
        add_fault(site, action="drop")
        with httpx.Client(base_url=served, timeout=10.0) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                client.get(f"{PREFIX}/users", headers=site.headers)
            answered = client.get(f"{PREFIX}/users", headers=other_site.headers)
            assert answered.status_code == 200


class TestProcesses:
    def test_another_process_applies_a_change_within_a_second(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        with client_with(database, database_url) as other:
            elsewhere = SiteClient(other, database, site.id, site.subdomain, site.key)
            assert get(elsewhere, "/users").status_code == 200  # it has read the (no) rules
            add_fault(site, action="status", status=503)
            assert _within_seconds(2.0, lambda: get(elsewhere, "/users").status_code == 503)
            cleared = site.http.delete(f"/_syllabus/sites/{site.subdomain}/faults", headers=ADMIN)
            assert cleared.status_code == 204
            assert _within_seconds(2.0, lambda: get(elsewhere, "/users").status_code == 200)

    def test_processes_share_a_rules_count(
        self, site: SiteClient, database: Database, database_url: str
    ) -> None:
        add_fault(site, action="status", status=503, times=3)
        with client_with(database, database_url) as other:
            elsewhere = SiteClient(other, database, site.id, site.subdomain, site.key)
            answers = [get(client, "/users").status_code for client in (site, elsewhere) * 3]
        assert answers == [503, 503, 503, 200, 200, 200]

    def test_a_change_applies_at_once_in_the_process_that_made_it(self, site: SiteClient) -> None:
        assert get(site, "/users").status_code == 200
        add_fault(site, action="status", status=503)
        assert get(site, "/users").status_code == 503
        site.http.delete(f"/_syllabus/sites/{site.subdomain}/faults", headers=ADMIN)
        assert get(site, "/users").status_code == 200

    def test_a_reset_clears_the_rules(self, site: SiteClient) -> None:
        add_fault(site, action="status", status=503)
        reset = site.http.post(f"/_syllabus/sites/{site.subdomain}/reset", headers=ADMIN)
        assert reset.status_code == 204
        assert get(site, "/users").status_code == 200
        assert faults(site) == []


def _within_seconds(seconds: float, check: Any) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True

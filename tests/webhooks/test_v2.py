"""``/api/v2/webhooks`` over HTTP: Thinkific's webhooks spec and FIDELITY §7.3, whole bodies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from syllabus.db import Database
from syllabus.events.topics import TOPICS
from syllabus.models import Event, OAuthApp, WebhookDelivery
from syllabus.models.base import stamp
from syllabus.sites.service import create_access_token, create_api_key
from syllabus.webhooks.keys import unseal
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import FIXED, make_oauth_app, make_oauth_token, make_webhook
from tests.oauth.helpers import OUT_OF_SCOPE, bearer
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    client_with,
    new_site,
)
from tests.webhooks.helpers import (
    INVALID_TOPIC,
    INVALID_URL,
    TARGET,
    V2,
    WEBHOOK_KEYS,
    credential_id,
    expected_webhook,
    nano,
    v2,
    webhook_count,
    webhook_row,
)

BOTH_INVALID = {"errors": {"topic": "invalid format", "url": "is not valid"}}
# FIDELITY §7.1: names clients invent that Thinkific has no topic for; our internal topics; and
# what is no topic at all.
NOT_TOPICS: list[Any] = [
    "user.created",
    "course.completed",
    "chapter.completed",
    "order.completed",
    "user.deleted",
    "webhook.created",
    "ORDER.CREATED",
    " order.created",
    "order.created ",
    "order",
    "",
    "x" * 100_000,
    123,
    10**30,
    1.5,
    True,
    None,
    ["order.created"],
    {"topic": "order.created"},
]
NOT_URLS: list[Any] = [
    "/hooks",
    "hooks",
    "receiver.example.com/hooks",
    "//receiver.example.com/hooks",
    "ftp://receiver.example.com/hooks",
    "mailto:someone@example.com",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://",
    "https:///hooks",
    "https://receiver example.com/hooks",
    "https://receiver.example.com:99999/hooks",
    "https://[::1/hooks",
    "https://receiver.example.com/" + "a" * 2048,
    "",
    " ",
    123,
    True,
    None,
    [TARGET],
    {"url": TARGET},
]
# Allowed by default, for local receivers; refused in strict mode, as Thinkific refuses them.
LOCAL_URLS = [
    "http://localhost:8000/hooks",
    "http://127.0.0.1:8000/hooks",
    "http://[::1]:8000/hooks",
    "https://localhost/hooks",
]


def create(site: SiteClient, topic: Any = "order.created", url: Any = TARGET, **kwargs: Any) -> Any:
    return v2(site, "POST", "/webhooks", json={"topic": topic, "target_url": url}, **kwargs)


def created(site: SiteClient, topic: str = "order.created", url: str = TARGET) -> str:
    response = create(site, topic, url)
    assert response.status_code == 201, response.text
    id: str = response.json()["id"]
    return id


def no_webhooks_and_no_events(site: SiteClient) -> None:
    assert webhook_count(site) == 0
    assert recorded(site) == []


class TestCreateWebhook:
    def test_answers_201_with_the_webhook_in_the_specs_order(self, site: SiteClient) -> None:
        response = create(site)

        row = webhook_row(site, response.json()["id"])
        author = credential_id(site, site.key)
        body = expected_webhook(row, "order.created", TARGET, author)
        assert_answers(response, 201, body)
        assert list(response.json()) == WEBHOOK_KEYS
        assert row.created_at == row.updated_at
        assert_recorded(site, ("webhook.created", alphabetical(body)))

    def test_the_id_is_23_digits_of_the_creation_second_and_the_row(self, site: SiteClient) -> None:
        id = created(site)

        row = webhook_row(site, id)
        assert len(id) == 23
        assert id == row.created_at.strftime("%Y%m%d%H%M%S") + str(row.id).zfill(9)

    def test_an_api_key_caller_signs_with_its_key(self, site: SiteClient) -> None:
        row = webhook_row(site, created(site))

        assert row.app_id is None
        assert row.sealed_key is not None
        assert site.key not in row.sealed_key
        settings = site.http.app.state.settings  # type: ignore[attr-defined]
        assert site.db(lambda s: unseal(s, settings, row.sealed_key)) == site.key

    def test_the_api_key_works_as_a_bearer_token(self, site: SiteClient) -> None:
        response = create(site, "user.signup", credentials=bearer(site.key))

        row = webhook_row(site, response.json()["id"])
        author = credential_id(site, site.key)
        assert_answers(response, 201, expected_webhook(row, "user.signup", TARGET, author))

    def test_an_access_token_caller_signs_with_the_token(self, site: SiteClient) -> None:
        token = site.db(lambda s: create_access_token(s, site.subdomain).secret)
        response = create(site, credentials=bearer(token))

        row = webhook_row(site, response.json()["id"])
        author = credential_id(site, token)
        assert author != credential_id(site, site.key)
        assert_answers(response, 201, expected_webhook(row, "order.created", TARGET, author))
        settings = site.http.app.state.settings  # type: ignore[attr-defined]
        assert site.db(lambda s: unseal(s, settings, row.sealed_key)) == token

    def test_an_oauth_app_keeps_the_app_and_no_key(self, site: SiteClient) -> None:
        client_id, _secret = make_oauth_app(site)
        token = make_oauth_token(site, ["write:webhooks"], client_id)
        app_id = site.db(
            lambda s: s.scalars(select(OAuthApp.id).where(OAuthApp.client_id == client_id)).one()
        )
        response = create(site, credentials=bearer(token))

        row = webhook_row(site, response.json()["id"])
        assert_answers(response, 201, expected_webhook(row, "order.created", TARGET, str(app_id)))
        assert (row.app_id, row.sealed_key) == (app_id, None)

    def test_every_thinkific_topic_is_accepted(self, site: SiteClient) -> None:
        for topic in sorted(TOPICS):
            response = create(site, topic)
            assert response.status_code == 201, response.text
            assert response.json()["topic"] == topic
        assert webhook_count(site) == 25

    @pytest.mark.parametrize("topic", NOT_TOPICS, ids=repr)
    def test_anything_else_is_an_invalid_format(self, site: SiteClient, topic: Any) -> None:
        assert_answers(create(site, topic), 422, INVALID_TOPIC)
        no_webhooks_and_no_events(site)

    @pytest.mark.parametrize("url", NOT_URLS, ids=lambda url: repr(url)[:60])
    def test_a_target_that_is_no_absolute_http_url_is_not_valid(
        self, site: SiteClient, url: Any
    ) -> None:
        assert_answers(create(site, url=url), 422, INVALID_URL)
        no_webhooks_and_no_events(site)

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"target_url": TARGET}, INVALID_TOPIC),
            ({"topic": "order.created"}, INVALID_URL),
            ({"topic": "order.created", "url": TARGET}, INVALID_URL),
            ({}, BOTH_INVALID),
            ({"topic": "user.created", "target_url": "/hooks"}, BOTH_INVALID),
        ],
    )
    def test_missing_fields(self, site: SiteClient, body: dict[str, Any], errors: Any) -> None:
        assert_answers(v2(site, "POST", "/webhooks", json=body), 422, errors)
        no_webhooks_and_no_events(site)

    @pytest.mark.parametrize("url", LOCAL_URLS)
    def test_http_and_local_targets_are_allowed_by_default(
        self, site: SiteClient, url: str
    ) -> None:
        response = create(site, url=url)
        assert response.status_code == 201, response.text
        assert response.json()["target_url"] == url

    def test_duplicates_are_allowed(self, site: SiteClient) -> None:
        first, second = created(site), created(site)

        assert first != second
        assert webhook_count(site) == 2

    def test_malformed_json_is_a_400(self, site: SiteClient) -> None:
        response = v2(
            site,
            "POST",
            "/webhooks",
            content=b'{"topic": "order.created",',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")
        no_webhooks_and_no_events(site)

    @pytest.mark.parametrize("body", [[{"topic": "order.created"}], "order.created", 1])
    def test_a_body_that_is_no_object_is_a_400(self, site: SiteClient, body: Any) -> None:
        response = v2(site, "POST", "/webhooks", json=body)
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})
        no_webhooks_and_no_events(site)

    def test_a_form_post_is_read_like_json(self, site: SiteClient) -> None:
        response = v2(
            site, "POST", "/webhooks", data={"topic": "lesson.completed", "target_url": TARGET}
        )
        assert response.status_code == 201, response.text
        assert response.json()["topic"] == "lesson.completed"

    def test_status_and_authors_in_the_body_are_ignored(self, site: SiteClient) -> None:
        body = {"topic": "order.created", "target_url": TARGET, "status": "inactive"}
        response = v2(site, "POST", "/webhooks", json={**body, "created_by": "7", "id": "1"})

        row = webhook_row(site, response.json()["id"])
        author = credential_id(site, site.key)
        assert_answers(response, 201, expected_webhook(row, "order.created", TARGET, author))


@pytest.fixture(scope="module")
def strict(database: Database, database_url: str) -> Iterator[TestClient]:
    """An app with SYLLABUS_STRICT_WEBHOOK_URLS: Thinkific's rule for targets."""
    with client_with(
        database, database_url, strict_webhook_urls=True, deliver_webhooks=False
    ) as client:
        yield client


class TestStrictTargets:
    @pytest.fixture
    def site(self, strict: TestClient, database: Database, site: SiteClient) -> SiteClient:
        return new_site(strict, database, f"{site.subdomain}s")

    def test_https_is_allowed(self, site: SiteClient) -> None:
        response = create(site, url="https://receiver.example.com:8443/hooks?a=1")
        assert response.status_code == 201, response.text

    @pytest.mark.parametrize(
        "url",
        [
            "http://receiver.example.com/hooks",
            *LOCAL_URLS,
            "https://127.0.0.1/hooks",
            "https://127.0.0.2/hooks",
            "https://[::1]/hooks",
            "https://[::ffff:127.0.0.1]/hooks",
            "https://0.0.0.0/hooks",
            "https://LOCALHOST./hooks",
            "https://app.localhost/hooks",
            "https://api.thinkific.com/hooks",
            "https://thinkific.com/hooks",
        ],
    )
    def test_http_and_local_targets_are_not_valid(self, site: SiteClient, url: str) -> None:
        assert_answers(create(site, url=url), 422, INVALID_URL)
        no_webhooks_and_no_events(site)

    def test_an_update_is_held_to_the_same_rule(self, site: SiteClient) -> None:
        id = created(site)
        response = v2(site, "PUT", f"/webhooks/{id}", json={"target_url": "http://localhost/h"})
        assert_answers(response, 422, INVALID_URL)
        assert webhook_row(site, id).target_url == TARGET


class TestGetWebhooks:
    def test_an_empty_list(self, site: SiteClient) -> None:
        assert_answers(
            v2(site, "GET", "/webhooks"),
            200,
            {
                "items": [],
                "meta": {
                    "page": {"has_next": False, "next_page": "", "page_items": 0, "total_items": 0}
                },
            },
        )

    def test_lists_the_sites_webhooks_in_creation_order(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        ids = [created(site, topic) for topic in ("order.created", "user.signup")]
        created(other_site)
        author = credential_id(site, site.key)

        response = v2(site, "GET", "/webhooks")

        rows = [webhook_row(site, id) for id in ids]
        items = [
            expected_webhook(rows[0], "order.created", TARGET, author),
            expected_webhook(rows[1], "user.signup", TARGET, author),
        ]
        page = {"has_next": False, "next_page": "", "page_items": 2, "total_items": 2}
        assert_answers(response, 200, {"items": items, "meta": {"page": page}})
        assert list(response.json()["meta"]["page"]) == [
            "has_next",
            "next_page",
            "page_items",
            "total_items",
        ]

    def test_pages_follow_the_next_cursor_and_ignore_page(self, site: SiteClient) -> None:
        ids = [make_webhook(site) for _ in range(5)]

        seen = []
        cursor = None
        for expected_next, count in ((ids[2], 2), (ids[4], 2), ("", 1)):
            params: dict[str, Any] = {"limit": 2, "page": 3}
            if cursor is not None:
                params["next"] = cursor
            body = v2(site, "GET", "/webhooks", params=params).json()
            seen += [item["id"] for item in body["items"]]
            assert body["meta"] == {
                "page": {
                    "has_next": expected_next != "",
                    "next_page": expected_next,
                    "page_items": count,
                    "total_items": 5,
                }
            }
            cursor = body["meta"]["page"]["next_page"]
        assert seen == ids

    def test_a_cursor_whose_webhook_was_deleted_goes_on_from_there(self, site: SiteClient) -> None:
        ids = [make_webhook(site) for _ in range(4)]
        assert v2(site, "DELETE", f"/webhooks/{ids[2]}").status_code == 204

        body = v2(site, "GET", "/webhooks", params={"next": ids[2], "limit": 5}).json()

        assert [item["id"] for item in body["items"]] == [ids[3]]
        assert body["meta"]["page"] == {
            "has_next": False,
            "next_page": "",
            "page_items": 1,
            "total_items": 3,
        }

    def test_the_limit_defaults_to_25(self, site: SiteClient) -> None:
        ids = [make_webhook(site) for _ in range(26)]

        for limit in (None, "0", "-3", "many"):
            params = {} if limit is None else {"limit": limit}
            body = v2(site, "GET", "/webhooks", params=params).json()
            assert [item["id"] for item in body["items"]] == ids[:25]
            assert body["meta"]["page"]["next_page"] == ids[25]

    @pytest.mark.parametrize(
        "cursor", ["abc", "1", "2024022220325200000000", "2" * 24, "\uff12" * 23]
    )
    def test_a_cursor_that_is_no_id_is_a_400(self, site: SiteClient, cursor: str) -> None:
        response = v2(site, "GET", "/webhooks", params={"next": cursor})
        assert_answers(response, 400, {"error": "Parameter next is invalid."})


class TestGetWebhookById:
    def test_answers_the_webhook(self, site: SiteClient) -> None:
        id = make_webhook(site, topic="course.updated", created_by="41", updated_by="42")

        response = v2(site, "GET", f"/webhooks/{id}")

        assert_answers(
            response,
            200,
            {
                "id": id,
                "status": "active",
                "topic": "course.updated",
                "created_at": "2024-02-22T20:32:52.726Z",
                "created_by": "41",
                "updated_at": "2024-02-22T20:32:52.726Z",
                "updated_by": "42",
                "target_url": TARGET,
            },
        )
        assert list(response.json()) == WEBHOOK_KEYS

    def test_timestamps_keep_their_microseconds_without_trailing_zeros(
        self, site: SiteClient
    ) -> None:
        moments = [FIXED.replace(microsecond=m) for m in (123456, 120000, 0)]
        ids = [make_webhook(site, created_at=m, updated_at=m) for m in moments]

        stamps = [v2(site, "GET", f"/webhooks/{id}").json()["created_at"] for id in ids]

        assert stamps == [
            "2024-02-22T20:32:52.123456Z",
            "2024-02-22T20:32:52.12Z",
            "2024-02-22T20:32:52Z",
        ]
        assert stamps == [nano(m) for m in moments]

    @pytest.mark.parametrize("kind", ["prefix", "short", "long", "letters", "row zero"])
    def test_an_id_that_is_not_the_webhooks_is_a_404(self, site: SiteClient, kind: str) -> None:
        id = make_webhook(site)
        wrong = {
            "prefix": "20240222203251" + id[14:],
            "short": id[1:],
            "long": id + "0",
            "letters": id[:-1] + "x",
            "row zero": id[:14] + "0" * 9,
        }[kind]
        assert_answers(v2(site, "GET", f"/webhooks/{wrong}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_webhook_is_a_404(self, site: SiteClient, other_site: SiteClient) -> None:
        id = created(other_site)
        assert_answers(v2(site, "GET", f"/webhooks/{id}"), 404, RECORD_NOT_FOUND)
        assert v2(other_site, "GET", f"/webhooks/{id}").status_code == 200


class TestUpdateWebhookById:
    def test_answers_200_with_the_changed_webhook(self, site: SiteClient) -> None:
        id = created(site)
        before = webhook_row(site, id)

        response = v2(
            site,
            "PUT",
            f"/webhooks/{id}",
            json={"topic": "enrollment.completed", "target_url": "http://localhost:9000/h"},
        )

        row = webhook_row(site, id)
        author = credential_id(site, site.key)
        body = expected_webhook(row, "enrollment.completed", "http://localhost:9000/h", author)
        assert_answers(response, 200, body)
        assert list(response.json()) == WEBHOOK_KEYS
        assert row.created_at == before.created_at
        assert row.updated_at > before.updated_at
        assert recorded(site)[-1] == ("webhook.updated", alphabetical(body))

    @pytest.mark.parametrize(
        ("change", "topic", "url"),
        [
            ({"topic": "user.signin"}, "user.signin", TARGET),
            (
                {"target_url": "https://other.example.com/h"},
                "order.created",
                "https://other.example.com/h",
            ),
            ({}, "order.created", TARGET),
        ],
    )
    def test_a_field_left_out_keeps_its_value(
        self, site: SiteClient, change: dict[str, str], topic: str, url: str
    ) -> None:
        id = created(site)

        response = v2(site, "PUT", f"/webhooks/{id}", json=change)

        assert response.status_code == 200, response.text
        assert (response.json()["topic"], response.json()["target_url"]) == (topic, url)
        row = webhook_row(site, id)
        assert (row.topic, row.target_url) == (topic, url)

    def test_another_writer_is_the_updater_and_the_creator_still_signs(
        self, site: SiteClient
    ) -> None:
        id = created(site)
        other_key = site.db(lambda s: create_api_key(s, site.subdomain).secret)

        response = v2(
            site,
            "PUT",
            f"/webhooks/{id}",
            json={"topic": "user.updated"},
            headers={"X-Auth-API-Key": other_key},
        )

        assert response.json()["created_by"] == credential_id(site, site.key)
        assert response.json()["updated_by"] == credential_id(site, other_key)
        row = webhook_row(site, id)
        settings = site.http.app.state.settings  # type: ignore[attr-defined]
        assert site.db(lambda s: unseal(s, settings, row.sealed_key)) == site.key

    @pytest.mark.parametrize(
        ("change", "errors"),
        [
            ({"topic": "user.created"}, INVALID_TOPIC),
            ({"topic": None}, INVALID_TOPIC),
            ({"target_url": "ftp://receiver.example.com/h"}, INVALID_URL),
            ({"target_url": None}, INVALID_URL),
            ({"topic": 7, "target_url": ["x"]}, BOTH_INVALID),
        ],
    )
    def test_invalid_changes_are_422_and_change_nothing(
        self, site: SiteClient, change: dict[str, Any], errors: Any
    ) -> None:
        id = created(site)
        before = v2(site, "GET", f"/webhooks/{id}").json()

        assert_answers(v2(site, "PUT", f"/webhooks/{id}", json=change), 422, errors)

        assert v2(site, "GET", f"/webhooks/{id}").json() == before
        assert [topic for topic, _ in recorded(site)] == ["webhook.created"]

    def test_an_unknown_webhook_is_a_404(self, site: SiteClient) -> None:
        response = v2(
            site, "PUT", "/webhooks/20240222203252999999999", json={"topic": "user.signin"}
        )
        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_another_sites_webhook_is_a_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        id = created(other_site)
        before = v2(other_site, "GET", f"/webhooks/{id}").json()

        response = v2(site, "PUT", f"/webhooks/{id}", json={"topic": "user.signin"})

        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert v2(other_site, "GET", f"/webhooks/{id}").json() == before


class TestDeleteWebhookById:
    def test_answers_204_then_404(self, site: SiteClient) -> None:
        id = created(site)
        body = v2(site, "GET", f"/webhooks/{id}").json()

        response = v2(site, "DELETE", f"/webhooks/{id}")

        assert (response.status_code, response.content) == (204, b"")
        assert_answers(v2(site, "GET", f"/webhooks/{id}"), 404, RECORD_NOT_FOUND)
        assert_answers(v2(site, "DELETE", f"/webhooks/{id}"), 404, RECORD_NOT_FOUND)
        assert_recorded(
            site, ("webhook.created", alphabetical(body)), ("webhook.deleted", alphabetical(body))
        )

    def test_cancels_the_webhooks_pending_deliveries_only(self, site: SiteClient) -> None:
        doomed, kept = created(site), created(site)
        user = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
        assert site.post("/users", json=user).status_code == 201
        due = FIXED + timedelta(hours=1)
        deliveries = {
            "pending": (doomed, "pending", due),
            "delivered": (doomed, "delivered", None),
            "failed": (doomed, "failed", None),
            "kept": (kept, "pending", due),
        }

        def insert(session: Any) -> dict[str, int]:
            event_id = session.scalars(select(Event.id).where(Event.site_id == site.id)).all()[-1]
            ids = {}
            for name, (webhook, status, next_attempt_at) in deliveries.items():
                row = WebhookDelivery(
                    webhook_id=int(webhook[14:]),
                    event_id=event_id,
                    topic="user.signup",
                    target_url=TARGET,
                    status=status,
                    attempts=0 if status == "pending" else 1,
                    next_attempt_at=next_attempt_at,
                )
                stamp(row, site.id, FIXED)
                session.add(row)
                session.flush()
                ids[name] = row.id
            return ids

        ids = site.db(insert)

        assert v2(site, "DELETE", f"/webhooks/{doomed}").status_code == 204

        def states(session: Any) -> dict[str, tuple[Any, ...]]:
            return {
                name: (row.status, row.next_attempt_at, row.webhook_id)
                for name, id in ids.items()
                if (row := session.get_one(WebhookDelivery, id))
            }

        assert site.db(states) == {
            "pending": ("cancelled", None, None),
            "delivered": ("delivered", None, None),
            "failed": ("failed", None, None),
            "kept": ("pending", due, int(kept[14:])),
        }

    def test_another_sites_webhook_is_a_404_and_kept(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        id = created(other_site)
        assert_answers(v2(site, "DELETE", f"/webhooks/{id}"), 404, RECORD_NOT_FOUND)
        assert v2(other_site, "GET", f"/webhooks/{id}").status_code == 200


class TestAuthentication:
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401_before_anything_else(
        self, site: SiteClient, headers: dict[str, str]
    ) -> None:
        id = created(site)
        calls = [
            ("GET", "/webhooks", None),
            ("POST", "/webhooks", {"topic": "user.created"}),
            ("GET", "/webhooks/nope", None),
            ("PUT", f"/webhooks/{id}", {"target_url": "/x"}),
            ("DELETE", f"/webhooks/{id}", None),
        ]
        for method, path, body in calls:
            response = site.http.request(method, V2 + path, json=body, headers=headers)
            assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert webhook_count(site) == 1

    def test_an_unknown_v2_path_is_no_route(self, site: SiteClient) -> None:
        response = site.http.get("/api/v2/webhooks/1/deliveries", headers=site.headers)
        assert_answers(
            response, 404, {"error": 'No route matches [GET] "/api/v2/webhooks/1/deliveries"'}
        )


class TestScopes:
    def test_reads_need_read_webhooks_and_writes_write_webhooks(self, site: SiteClient) -> None:
        id = created(site)
        reader = make_oauth_token(site, ["read:webhooks"])
        writer = make_oauth_token(site, ["write:webhooks"])

        def call(token: str, method: str, path: str, body: Any = None) -> Any:
            # Not checked against our OpenAPI, which documents no 403 (as for the Admin API).
            return site.http.request(method, V2 + path, json=body, headers=bearer(token))

        writes = [
            ("POST", "/webhooks", {"topic": "user.signup", "target_url": TARGET}),
            ("PUT", f"/webhooks/{id}", {"topic": "user.signup"}),
            ("DELETE", f"/webhooks/{id}", None),
        ]
        for method, path, body in writes:
            assert_answers(call(reader, method, path, body), 403, OUT_OF_SCOPE)
        for path in ("/webhooks", f"/webhooks/{id}"):
            assert_answers(call(writer, "GET", path), 403, OUT_OF_SCOPE)
            assert call(reader, "GET", path).status_code == 200
        assert webhook_row(site, id).topic == "order.created"
        for method, path, body in writes:
            assert call(writer, method, path, body).status_code in (200, 201, 204)

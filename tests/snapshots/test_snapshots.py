"""``/_syllabus/sites/{sub}/snapshots``: save a site's whole state under a name, list, restore
(the same rows, the same ids, one transaction, no other site touched) and delete."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from syllabus.models import Base, OAuthApp, Snapshot, Webhook
from syllabus.models.base import stamp
from syllabus.snapshots.repository import current_rows
from tests.factories import FIXED, make_oauth_app, make_user
from tests.snapshots.helpers import (
    ADMIN,
    AsTheyAre,
    answers,
    control,
    fill_every_table,
    restore,
    save,
    seeded,
)
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers

# What a snapshot leaves out (README, "Snapshots"): who may call the site, what observes or
# steers it, and the snapshots themselves.
NOT_STATE = {
    "credentials",
    "oauth_apps",
    "oauth_codes",
    "journal_entries",
    "fault_rules",
    "snapshots",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def state_tables() -> list[str]:
    """Every table that is a site's, by the rule the README gives: it has a ``site_id``, or it
    links rows of tables that do."""
    return [
        table.name
        for table in Base.metadata.sorted_tables
        if table.name not in NOT_STATE
        and (
            "site_id" in table.c
            or any("site_id" in key.column.table.c for key in table.foreign_keys)
        )
    ]


def rows_of(site: SiteClient) -> dict[str, list[list[Any]]]:
    return site.db(lambda session: current_rows(session.connection(), site.id))


def everything(site: SiteClient) -> list[tuple[str, Any]]:
    found, _ = answers(site, AsTheyAre())
    return found


def user_body(id: int, **fields: Any) -> dict[str, Any]:
    return {"first_name": "Ada", "last_name": "Lovelace", "email": f"u{id}@example.com", **fields}


class TestSave:
    def test_answers_the_snapshot_with_its_rows_by_table(self, site: SiteClient) -> None:
        assert site.post("/users", json=user_body(1)).status_code == 201

        body = save(site, "first-user")

        assert body == {
            "name": "first-user",
            "created_at": body["created_at"],
            "clock_offset_seconds": 0.0,
            "tables": {
                **dict.fromkeys(state_tables(), 0),
                "collections": 1,  # the site's default category
                "users": 1,
                "events": 1,  # user.signup
            },
        }
        assert TIMESTAMP.match(body["created_at"])

    def test_a_name_is_unique_on_the_site(self, site: SiteClient, other_site: SiteClient) -> None:
        save(site, "start")
        taken = control(site, "POST", "/snapshots", json={"name": "start"})
        assert_answers(taken, 422, {"errors": {"name": ["has already been taken"]}})
        save(other_site, "start")  # another site's names are its own

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("a/b", "must be letters, digits, dots, hyphens and underscores"),
            ("-start", "must be letters, digits, dots, hyphens and underscores"),
            ("", "can't be blank"),
            ("x" * 101, "is too long (maximum is 100 characters)"),
        ],
    )
    def test_a_name_goes_in_paths(self, site: SiteClient, name: str, message: str) -> None:
        response = control(site, "POST", "/snapshots", json={"name": name})
        assert_answers(response, 422, {"errors": {"name": [message]}})

    def test_of_an_unknown_site(self, site: SiteClient) -> None:
        response = site.http.post(
            "/_syllabus/sites/no-such-site/snapshots", json={"name": "x"}, headers=ADMIN
        )
        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_needs_the_admin_token(self, site: SiteClient) -> None:
        path = f"/_syllabus/sites/{site.subdomain}/snapshots"
        response = site.http.post(path, json={"name": "x"}, headers=site.headers)
        assert_answers(response, 401, {"error": "Authentication Error"})

    def test_holds_every_table_of_the_site(self, site: SiteClient) -> None:
        fill_every_table(site)
        tables = save(site, "full")["tables"]
        assert list(tables) == state_tables()
        assert [name for name, count in tables.items() if count == 0] == []


class TestList:
    def test_oldest_first(self, site: SiteClient) -> None:
        assert_answers(control(site, "GET", "/snapshots"), 200, {"items": []})
        first = save(site, "one")
        make_user(site)
        second = save(site, "two")
        assert_answers(control(site, "GET", "/snapshots"), 200, {"items": [first, second]})
        assert second["tables"]["users"] == 1


class TestRestore:
    def test_every_answer_comes_back_with_the_same_ids(self, site: SiteClient) -> None:
        seeded(site)
        before = everything(site)
        events = control(site, "GET", "/events", params={"limit": 250}).json()
        save(site, "seeded")
        users = site.get("/users", params={"limit": 3}).json()["items"]
        assert (
            site.put(f"/users/{users[0]['id']}", json={"first_name": "Changed"}).status_code == 204
        )
        assert site.delete(f"/users/{users[1]['id']}").status_code == 204
        created = site.post("/users", json=user_body(7)).json()
        course = site.get("/courses").json()["items"][0]
        enrolled = {"user_id": created["id"], "course_id": course["id"]}
        assert site.post("/enrollments", json=enrolled).status_code == 201
        assert site.post("/groups", json={"name": "Late"}).status_code == 200
        assert everything(site) != before

        restore(site, "seeded")

        assert everything(site) == before
        assert control(site, "GET", "/events", params={"limit": 250}).json() == events
        # Ids are never reused: what the API makes next gets a new one.
        again = site.post("/users", json=user_body(7)).json()
        assert again["id"] > created["id"]

    def test_every_table_comes_back(self, site: SiteClient) -> None:
        empty = rows_of(site)
        save(site, "empty")
        fill_every_table(site)
        rows = rows_of(site)
        save(site, "full")

        restore(site, "empty")
        assert rows_of(site) == empty
        restore(site, "full")
        assert rows_of(site) == rows

    def test_no_other_site_is_touched(self, site: SiteClient, other_site: SiteClient) -> None:
        seeded(site, users=5, courses=2, enrollments=4)
        seeded(other_site, users=5, courses=2, enrollments=4)
        save(site, "seeded")
        make_user(other_site)
        others = everything(other_site)
        assert site.post("/users", json=user_body(1)).status_code == 201

        restore(site, "seeded")

        assert everything(other_site) == others

    def test_keys_and_tokens_stay_as_they_are(self, site: SiteClient) -> None:
        save(site, "start")
        key = control(site, "POST", "/keys").json()["api_key"]
        headers = {"X-Auth-API-Key": key, "X-Auth-Subdomain": site.subdomain}

        restore(site, "start")

        assert site.get("/users").status_code == 200
        assert site.http.get("/api/public/v1/users", headers=headers).status_code == 200

    def test_the_clock_comes_back(self, site: SiteClient) -> None:
        control(site, "PUT", "/clock", json={"offset_seconds": 3600})
        save(site, "an-hour-on")
        control(site, "PUT", "/clock", json={"advance_seconds": 86400})

        restore(site, "an-hour-on")

        assert control(site, "GET", "/clock").json()["offset_seconds"] == 3600

    def test_rows_that_swapped_a_unique_value(self, site: SiteClient) -> None:
        first = make_user(site, email="first@example.com")
        second = make_user(site, email="second@example.com")
        save(site, "before")
        for id, email in ((first, "swap@example.com"), (second, "first@example.com")):
            assert site.put(f"/users/{id}", json={"email": email}).status_code == 204
        assert site.put(f"/users/{first}", json={"email": "second@example.com"}).status_code == 204

        restore(site, "before")

        emails = [(user["id"], user["email"]) for user in site.get("/users").json()["items"]]
        assert emails == [(first, "first@example.com"), (second, "second@example.com")]

    def test_a_webhook_of_an_app_deleted_since_stays_deleted(self, site: SiteClient) -> None:
        client_id, _ = make_oauth_app(site)

        def subscribe_the_app(session: Any) -> None:
            app = session.scalars(select(OAuthApp).where(OAuthApp.client_id == client_id)).one()
            webhook = Webhook(
                topic="user.signup",
                target_url="http://127.0.0.1:9/hook",
                created_by=client_id,
                updated_by=client_id,
                app_id=app.id,
            )
            stamp(webhook, site.id, FIXED)
            session.add(webhook)

        site.db(subscribe_the_app)
        save(site, "subscribed")
        assert control(site, "DELETE", f"/apps/{client_id}").status_code == 204
        make_user(site)

        restore(site, "subscribed")

        assert rows_of(site)["webhooks"] == []
        assert rows_of(site)["users"] == []

    def test_an_unknown_snapshot(self, site: SiteClient) -> None:
        response = control(site, "POST", "/snapshots/nothing/restore")
        assert_answers(response, 404, RECORD_NOT_FOUND)


class TestDelete:
    def test_deletes_it_and_leaves_the_site(self, site: SiteClient) -> None:
        make_user(site)
        save(site, "one")
        response = control(site, "DELETE", "/snapshots/one")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(control(site, "GET", "/snapshots"), 200, {"items": []})
        assert_answers(control(site, "POST", "/snapshots/one/restore"), 404, RECORD_NOT_FOUND)
        assert len(site.get("/users").json()["items"]) == 1

    def test_an_unknown_snapshot(self, site: SiteClient) -> None:
        assert_answers(control(site, "DELETE", "/snapshots/nothing"), 404, RECORD_NOT_FOUND)

    def test_deleting_the_site_deletes_its_snapshots(self, site: SiteClient) -> None:
        save(site, "one")
        path = f"/_syllabus/sites/{site.subdomain}"
        assert site.http.delete(path, headers=ADMIN).status_code == 204
        assert_answers(control(site, "GET", "/snapshots"), 404, RECORD_NOT_FOUND)
        left = site.db(
            lambda session: session.scalars(
                select(Snapshot.id).where(Snapshot.site_id == site.id)
            ).all()
        )
        assert left == []


def test_the_snapshot_time_follows_the_site_clock(site: SiteClient) -> None:
    control(site, "PUT", "/clock", json={"now": "2030-01-01T00:00:00Z"})
    made = datetime.fromisoformat(save(site, "later")["created_at"])
    assert datetime(2030, 1, 1, tzinfo=UTC) <= made < datetime(2030, 1, 1, 0, 1, tzinfo=UTC)

"""``GET /_syllabus/sites/{sub}/diff?since=``: what changed since a snapshot (or since the site
was made), by table, with each changed column before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from syllabus.models import Collection, User
from tests.factories import FIXED, make_user
from tests.snapshots.helpers import control, diff, save
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers


def iso(moment: datetime) -> str:
    """A stored time as the diff shows it: ISO 8601 in UTC, to the microsecond, with Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def user_row(id: int, email: str, first_name: str, last_name: str, **fields: Any) -> dict[str, Any]:
    """A user's row as the diff lists it: its key, then its columns in the table's order."""
    row = {
        "id": id,
        "email": email,
        "email_key": email.lower(),
        "first_name": first_name,
        "last_name": last_name,
        "company": None,
        "roles_text": "",
        "avatar_url": None,
        "bio": None,
        "headline": None,
        "affiliate_code": None,
        "affiliate_commission": None,
        "affiliate_commission_type": None,
        "affiliate_payout_email": None,
        "external_source": None,
        "external_id": None,
        "provider": None,
        "password_hash": None,
        "created_at": iso(FIXED),
        "updated_at": iso(FIXED),
    }
    unknown = set(fields) - set(row)
    assert not unknown, unknown
    return {**row, **fields}


def stored(site: SiteClient, model: Any, id: int, column: str) -> datetime:
    value: datetime = site.db(
        lambda session: session.scalar(select(getattr(model, column)).where(model.id == id))
    )
    return value


class TestDiff:
    def test_created_updated_and_deleted_rows(self, site: SiteClient) -> None:
        kept = make_user(site, email="kept@example.com", first_name="Ada", last_name="L")
        gone = make_user(site, email="gone@example.com", first_name="Bob", last_name="M")
        save(site, "before")
        assert site.put(f"/users/{kept}", json={"first_name": "Grace"}).status_code == 204
        assert site.delete(f"/users/{gone}").status_code == 204
        new = {"first_name": "Cy", "last_name": "N", "email": "New@example.com"}
        made = site.post("/users", json=new).json()["id"]

        body = diff(site, "before")

        assert body == {
            "since": "before",
            "resources": {
                "users": {
                    "created": [
                        user_row(
                            made,
                            "New@example.com",
                            "Cy",
                            "N",
                            created_at=iso(stored(site, User, made, "created_at")),
                            updated_at=iso(stored(site, User, made, "created_at")),
                        )
                    ],
                    "updated": [
                        {
                            "id": kept,
                            "changes": {
                                "first_name": ["Ada", "Grace"],
                                "updated_at": [
                                    iso(FIXED),
                                    iso(stored(site, User, kept, "updated_at")),
                                ],
                            },
                        }
                    ],
                    "deleted": [user_row(gone, "gone@example.com", "Bob", "M")],
                }
            },
        }

    def test_nothing_changed(self, site: SiteClient) -> None:
        make_user(site)
        save(site, "now")
        site.get("/users")  # a read changes nothing
        assert diff(site, "now") == {"since": "now", "resources": {}}

    def test_a_link_table_is_keyed_by_both_its_ids(self, site: SiteClient) -> None:
        control(site, "POST", "/seed", json={"users": 2, "courses": 2, "enrollments": 0})
        category = site.post(
            "/collections", json={"name": "Picks", "slug": "picks", "description": "Ours"}
        ).json()
        products = [item["id"] for item in site.get("/products").json()["items"]]
        save(site, "before")
        added = {"product_ids": products[:2]}
        response = site.post(f"/collection_memberships/{category['id']}", json=added)
        assert response.status_code == 201

        memberships = diff(site, "before")["resources"]["collection_memberships"]

        assert memberships == {
            "created": [
                {"collection_id": category["id"], "product_id": products[0]},
                {"collection_id": category["id"], "product_id": products[1]},
            ],
            "updated": [],
            "deleted": [],
        }

    def test_secrets_are_not_shown(self, site: SiteClient) -> None:
        save(site, "before")
        user = {"first_name": "Pat", "last_name": "Q", "email": "pat@example.com"}
        made = site.post("/users", json={**user, "password": "s3cret-enough"}).json()["id"]
        created = diff(site, "before")["resources"]["users"]["created"]
        assert created[0]["password_hash"] == "[redacted]"
        save(site, "with-password")
        assert site.put(f"/users/{made}", json={"password": "another-one"}).status_code == 204
        changes = diff(site, "with-password")["resources"]["users"]["updated"][0]["changes"]
        assert changes["password_hash"] == ["[redacted]", "[redacted]"]

    def test_the_event_log_is_no_resource(self, site: SiteClient) -> None:
        save(site, "before")
        user = {"first_name": "E", "last_name": "V", "email": "e@example.com"}
        assert site.post("/users", json=user).status_code == 201
        assert list(diff(site, "before")["resources"]) == ["users"]

    def test_an_unknown_snapshot_or_site(self, site: SiteClient) -> None:
        assert_answers(control(site, "GET", "/diff", params={"since": "x"}), 404, RECORD_NOT_FOUND)
        response = site.http.get(
            "/_syllabus/sites/no-such-site/diff",
            headers={"Authorization": "Bearer test-admin-token"},
        )
        assert_answers(response, 404, RECORD_NOT_FOUND)


class TestSinceTheSiteWasMade:
    def test_a_new_site_has_changed_nothing(self, site: SiteClient) -> None:
        assert diff(site) == {"since": None, "resources": {}}

    def test_the_default_category_changes_and_new_rows(self, site: SiteClient) -> None:
        default = site.get("/collections").json()["items"][0]
        renamed = site.put(f"/collections/{default['id']}", json={"name": "Everything"})
        assert renamed.status_code == 204
        made = make_user(site, email="a@example.com", first_name="A", last_name="B")

        body = diff(site)

        created_at = stored(site, Collection, default["id"], "created_at")
        updated_at = stored(site, Collection, default["id"], "updated_at")
        assert body == {
            "since": None,
            "resources": {
                "collections": {
                    "created": [],
                    "updated": [
                        {
                            "id": default["id"],
                            "changes": {
                                "name": ["All Courses", "Everything"],
                                "updated_at": [iso(created_at), iso(updated_at)],
                            },
                        }
                    ],
                    "deleted": [],
                },
                "users": {
                    "created": [user_row(made, "a@example.com", "A", "B")],
                    "updated": [],
                    "deleted": [],
                },
            },
        }

    def test_after_a_reset_the_default_category_is_new(self, site: SiteClient) -> None:
        assert control(site, "POST", "/reset").status_code == 204
        resources = diff(site)["resources"]
        assert list(resources) == ["collections"]
        assert [row["slug"] for row in resources["collections"]["created"]] == ["all"]
        assert resources["collections"]["deleted"] == []

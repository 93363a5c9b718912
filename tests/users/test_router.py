"""HTTP tests for /users: https://developers.thinkific.com/api/api-documentation/#/Users"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from syllabus.models import Enrollment, Event, GroupMembership, User
from tests.factories import (
    FIXED,
    add_course_admin,
    add_member,
    make_course,
    make_enrollment,
    make_group,
    make_profile_field_definition,
    make_user,
    set_profile_field,
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
)
from tests.users.helpers import user_body


def count_users(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(User.site_id == site.id)))


class TestCreateUser:
    def test_returns_201_with_the_whole_user(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            json={
                "first_name": "Bob",
                "last_name": "Smith",
                "email": "bob@example.com",
                "company": "A Company",
                "roles": ["course_admin", "affiliate"],
                "affiliate_commission": 15,
                "affiliate_commission_type": "%",
                "password": "secret1",
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert body == user_body(
            body["id"],
            body["created_at"],
            company="A Company",
            roles=["affiliate", "course_admin"],
            affiliate_commission="15.0",
            affiliate_commission_type="%",
        )
        assert isinstance(body["id"], int)
        assert body["created_at"].endswith("Z")
        assert len(body["created_at"]) == 24

    def test_persists_and_can_be_read_back(self, site: SiteClient) -> None:
        created = site.post(
            "/users", json={"first_name": "Bob", "last_name": "Smith", "email": "bob@example.com"}
        ).json()
        assert site.get(f"/users/{created['id']}").json() == created

    def test_missing_required_fields_are_a_field_map(self, site: SiteClient) -> None:
        response = site.post("/users", json={})
        assert response.status_code == 422
        assert response.json() == {
            "errors": {
                "first_name": ["can't be blank"],
                "last_name": ["can't be blank"],
                "email": ["can't be blank"],
            }
        }
        assert count_users(site) == 0

    def test_blank_and_null_values_are_blank(self, site: SiteClient) -> None:
        response = site.post(
            "/users", json={"first_name": "  ", "last_name": None, "email": "bob@example.com"}
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"first_name": ["can't be blank"], "last_name": ["can't be blank"]}
        }

    @pytest.mark.parametrize("email", ["not-an-email", "a@b", "two words@example.com"])
    def test_invalid_email(self, site: SiteClient, email: str) -> None:
        response = site.post("/users", json={"first_name": "A", "last_name": "B", "email": email})
        assert response.status_code == 422
        assert response.json() == {"errors": {"email": ["is invalid"]}}

    def test_duplicate_email_is_taken_case_insensitively(self, site: SiteClient) -> None:
        make_user(site, email="Bob@Example.com")
        response = site.post(
            "/users", json={"first_name": "Bob", "last_name": "Smith", "email": "bob@EXAMPLE.com"}
        )
        assert response.status_code == 422
        assert response.json() == {"errors": {"email": ["has already been taken"]}}
        assert count_users(site) == 1

    def test_same_email_on_another_site_is_fine(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_user(other_site, email="bob@example.com")
        response = site.post(
            "/users", json={"first_name": "Bob", "last_name": "Smith", "email": "bob@example.com"}
        )
        assert response.status_code == 201

    def test_short_password(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            json={"first_name": "A", "last_name": "B", "email": "a@b.co", "password": "12345"},
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"password": ["is too short (minimum is 6 characters)"]}
        }

    def test_unknown_role(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            json={"first_name": "A", "last_name": "B", "email": "a@b.co", "roles": ["wizard"]},
        )
        assert response.status_code == 422
        assert response.json() == {"errors": {"roles": ["is not included in the list"]}}

    def test_wrong_types(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            json={
                "first_name": 5,
                "last_name": "B",
                "email": "a@b.co",
                "affiliate_commission": "lots",
            },
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"first_name": ["is invalid"], "affiliate_commission": ["is not a number"]}
        }

    def test_huge_values_are_422_not_500(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            json={
                "first_name": "x" * 256,
                "last_name": "B",
                "email": "a@b.co",
                "custom_profile_fields": [
                    {"custom_profile_field_definition_id": 10**30, "value": "v"}
                ],
            },
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {
                "first_name": ["is too long (maximum is 255 characters)"],
                "custom_profile_fields": ["must be less than or equal to 9223372036854775807"],
            }
        }

    def test_malformed_json_is_400(self, site: SiteClient) -> None:
        response = site.post(
            "/users", content=b'{"first_name": "A",', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert list(response.json()) == ["error"]
        assert response.json()["error"].startswith("The request body is not valid JSON")

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        response = site.post("/users", json=["first_name"])
        assert response.status_code == 400
        assert response.json() == {"error": "The request body must be a JSON object."}

    def test_form_encoded_with_rails_brackets(self, site: SiteClient) -> None:
        definition = make_profile_field_definition(site, label="Country")
        response = site.post(
            "/users",
            content=(
                "first_name=Bob&last_name=Smith&email=bob%40example.com"
                "&roles[]=affiliate&roles[]=site_admin"
                f"&custom_profile_fields[][custom_profile_field_definition_id]={definition}"
                "&custom_profile_fields[][value]=Canada"
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201
        body = response.json()
        assert body["roles"] == ["affiliate", "site_admin"]
        assert body["custom_profile_fields"] == [
            {
                "id": body["custom_profile_fields"][0]["id"],
                "value": "Canada",
                "label": "Country",
                "custom_profile_field_definition_id": definition,
            }
        ]

    def test_multipart(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            files={"first_name": (None, "Bob"), "last_name": (None, "Smith")},
            data={"email": "bob@example.com"},
        )
        assert response.status_code == 201
        assert response.json()["full_name"] == "Bob Smith"

    def test_query_parameters_merge_and_body_wins(self, site: SiteClient) -> None:
        response = site.post(
            "/users?first_name=Query&last_name=Smith&email=q%40example.com",
            json={"first_name": "Body"},
        )
        assert response.status_code == 201
        assert (response.json()["first_name"], response.json()["email"]) == (
            "Body",
            "q@example.com",
        )

    def test_oversized_body_is_413(self, site: SiteClient) -> None:
        response = site.post("/users", content=b"{" + b" " * 2_000_000 + b"}")
        assert response.status_code == 413
        assert response.json() == {"error": "Request body is too large."}

    def test_custom_profile_fields_required_unless_skipped(self, site: SiteClient) -> None:
        make_profile_field_definition(site, label="Phone", required=True)
        base = {"first_name": "A", "last_name": "B", "email": "a@b.co"}
        response = site.post("/users", json=base)
        assert response.status_code == 422
        assert response.json() == {"errors": {"custom_profile_fields": ["Phone can't be blank"]}}
        skipped = site.post("/users", json={**base, "skip_custom_fields_validation": True})
        assert skipped.status_code == 201

    def test_unknown_custom_profile_field_definition(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        foreign = make_profile_field_definition(other_site, label="Theirs")
        response = site.post(
            "/users",
            json={
                "first_name": "A",
                "last_name": "B",
                "email": "a@b.co",
                "custom_profile_fields": [
                    {"custom_profile_field_definition_id": foreign, "value": "x"}
                ],
            },
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {
                "custom_profile_fields": [
                    f"custom profile field definition {foreign} does not exist"
                ]
            }
        }

    def test_external_id_defaults_to_sso(self, site: SiteClient) -> None:
        created = site.post(
            "/users",
            json={"first_name": "A", "last_name": "B", "email": "a@b.co", "external_id": "ext-1"},
        ).json()
        auth = site.get(f"/users/{created['id']}/authentications/SSO")
        assert auth.status_code == 200
        assert auth.json() == {"provider": "SSO", "external_id": "ext-1"}

    def test_records_a_signup_event_in_the_same_transaction(self, site: SiteClient) -> None:
        created = site.post(
            "/users", json={"first_name": "Bob", "last_name": "Smith", "email": "bob@example.com"}
        ).json()
        events = site.db(
            lambda s: [
                (e.resource, e.action, e.payload, len(e.public_id))
                for e in s.scalars(select(Event).where(Event.site_id == site.id))
            ]
        )
        assert events == [("user", "signup", created, 23)]

    def test_failed_create_records_no_event(self, site: SiteClient) -> None:
        make_user(site, email="bob@example.com")
        site.post("/users", json={"first_name": "B", "last_name": "S", "email": "bob@example.com"})
        assert (
            site.db(lambda s: s.scalar(select(func.count()).where(Event.site_id == site.id))) == 0
        )


class TestListUsers:
    def test_empty(self, site: SiteClient) -> None:
        assert_answers(site.get("/users"), 200, EMPTY_PAGE)

    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        ids = [make_user(site) for _ in range(5)]
        assert_five_by_two(site, "/users", ids, beyond=9)

    @pytest.mark.parametrize(
        ("params", "expected_limit", "expected_page"),
        [
            ({"limit": "0"}, 25, 1),
            ({"limit": "-3"}, 25, 1),
            ({"limit": "abc"}, 25, 1),
            ({"limit": "1000"}, 250, 1),
            ({"page": "0"}, 25, 1),
            ({"page": "x"}, 25, 1),
            ({"page": "99999999999999999999999"}, 25, 10_000_000),
        ],
    )
    def test_bad_page_and_limit_fall_back(
        self, site: SiteClient, params: dict[str, str], expected_limit: int, expected_page: int
    ) -> None:
        for _ in range(3):
            make_user(site)
        response = site.get("/users", params=params)
        assert response.status_code == 200
        meta = response.json()["meta"]["pagination"]
        assert meta["current_page"] == expected_page
        assert meta["total_pages"] == -(-3 // expected_limit)

    def test_default_limit_is_25(self, site: SiteClient) -> None:
        for _ in range(26):
            make_user(site)
        body = site.get("/users").json()
        assert len(body["items"]) == 25
        assert body["meta"]["pagination"]["entries_info"] == "1-25 of 26"

    def test_filter_by_email_is_exact_and_case_insensitive(self, site: SiteClient) -> None:
        wanted = make_user(site, email="Alice@Example.com")
        make_user(site, email="alice@example.co")
        for query in ("query[email]=alice%40example.com", "query%5Bemail%5D=ALICE@EXAMPLE.COM"):
            items = site.get(f"/users?{query}").json()["items"]
            assert [u["id"] for u in items] == [wanted]

    def test_filter_by_role(self, site: SiteClient) -> None:
        admin = make_user(site, roles=["site_admin"])
        make_user(site, roles=["affiliate"])
        items = site.get("/users", params={"query[role]": "site_admin"}).json()["items"]
        assert [u["id"] for u in items] == [admin]

    def test_filter_by_external_source(self, site: SiteClient) -> None:
        wanted = make_user(site, external_source="hubspot")
        make_user(site)
        items = site.get("/users", params={"query[external_source]": "hubspot"}).json()["items"]
        assert [u["id"] for u in items] == [wanted]

    def test_filter_by_custom_profile_field(self, site: SiteClient) -> None:
        country = make_profile_field_definition(site, label="Country")
        city = make_profile_field_definition(site, label="City")
        canadian = make_user(site)
        set_profile_field(site, canadian, country, "Canada")
        other = make_user(site)
        set_profile_field(site, other, city, "Canada")
        by_both = site.get(
            "/users",
            params={
                "query[custom_profile_field_label]": "Country",
                "query[custom_profile_field_value]": "Canada",
            },
        ).json()["items"]
        assert [u["id"] for u in by_both] == [canadian]
        by_value = site.get(
            "/users", params={"query[custom_profile_field_value]": "Canada"}
        ).json()["items"]
        assert [u["id"] for u in by_value] == [canadian, other]

    def test_filter_by_group(self, site: SiteClient) -> None:
        group = make_group(site)
        member = make_user(site)
        make_user(site)
        add_member(site, group, member)
        items = site.get("/users", params={"query[group_id]": group}).json()["items"]
        assert [u["id"] for u in items] == [member]
        assert site.get("/users", params={"query[group_id]": "abc"}).json()["items"] == []

    def test_filter_by_group_lists_members_added_through_group_users(
        self, site: SiteClient
    ) -> None:
        sales, support = make_group(site, name="Sales"), make_group(site, name="Support")
        members = [make_user(site) for _ in range(3)]
        make_user(site)
        for user in reversed(members):
            body = {"user_id": user, "group_names": ["Sales"]}
            assert site.post("/group_users", json=body).status_code == 201
        body = {"user_id": members[0], "group_names": ["Support"]}
        assert site.post("/group_users", json=body).status_code == 201
        listed = site.get("/users", params={"query[group_id]": sales}).json()
        assert [u["id"] for u in listed["items"]] == members
        assert listed["meta"]["pagination"]["total_items"] == 3
        items = site.get("/users", params={"query[group_id]": support}).json()["items"]
        assert [u["id"] for u in items] == [members[0]]

    def test_unknown_filters_are_ignored(self, site: SiteClient) -> None:
        make_user(site)
        response = site.get("/users", params={"query[shoe_size]": "12", "query[email]": ""})
        assert response.json()["meta"]["pagination"]["total_items"] == 1

    def test_injection_strings_are_just_values(self, site: SiteClient) -> None:
        make_user(site)
        response = site.get("/users", params={"query[email]": "' OR 1=1 --"})
        assert response.status_code == 200
        assert response.json()["items"] == []

    def test_other_sites_users_are_invisible(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_user(other_site)
        mine = make_user(site)
        assert [u["id"] for u in site.get("/users").json()["items"]] == [mine]


class TestGetUser:
    def test_includes_administered_courses_and_profile_fields(self, site: SiteClient) -> None:
        user = make_user(
            site,
            first_name="Bob",
            last_name="Smith",
            email="bob@example.com",
            roles=["course_admin"],
        )
        course_a, course_b = make_course(site), make_course(site)
        add_course_admin(site, course_b, user)
        add_course_admin(site, course_a, user)
        definition = make_profile_field_definition(site, label="Country")
        field = set_profile_field(site, user, definition, "Canada")
        response = site.get(f"/users/{user}")
        assert response.status_code == 200
        assert response.json() == user_body(
            user,
            "2024-02-22T20:32:52.726Z",
            roles=["course_admin"],
            administered_course_ids=sorted([course_a, course_b]),
            custom_profile_fields=[
                {
                    "id": field,
                    "value": "Canada",
                    "label": "Country",
                    "custom_profile_field_definition_id": definition,
                }
            ],
        )

    def test_by_external_id_and_provider(self, site: SiteClient) -> None:
        user = make_user(site, external_id="abc123", provider="OPENID_CONNECT")
        assert site.get("/users/abc123", params={"provider": "OPENID_CONNECT"}).json()["id"] == user
        assert site.get("/users/abc123", params={"provider": "SSO"}).status_code == 404

    @pytest.mark.parametrize("path", ["/users/0", "/users/abc", "/users/99999999999999999999999"])
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_user_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/users/{make_user(other_site)}")

    def test_authentication_for_a_user_without_that_provider_is_404(self, site: SiteClient) -> None:
        user = make_user(site)
        assert_answers(site.get(f"/users/{user}/authentications/SSO"), 404, RECORD_NOT_FOUND)


class TestUpdateUser:
    def test_partial_update_answers_204_and_persists(self, site: SiteClient) -> None:
        user = make_user(site, first_name="Bob", last_name="Smith", email="bob@example.com")
        response = site.put(f"/users/{user}", json={"first_name": "Robert", "roles": ["affiliate"]})
        assert response.status_code == 204
        assert response.content == b""
        body = site.get(f"/users/{user}").json()
        assert body == user_body(
            user,
            "2024-02-22T20:32:52.726Z",
            first_name="Robert",
            full_name="Robert Smith",
            roles=["affiliate"],
        )

    def test_null_clears_an_optional_field(self, site: SiteClient) -> None:
        user = make_user(site, company="Acme")
        assert site.put(f"/users/{user}", json={"company": None}).status_code == 204
        assert site.get(f"/users/{user}").json()["company"] is None

    def test_null_first_name_is_blank(self, site: SiteClient) -> None:
        user = make_user(site)
        response = site.put(f"/users/{user}", json={"first_name": None})
        assert response.status_code == 422
        assert response.json() == {"errors": {"first_name": ["can't be blank"]}}

    def test_email_taken_by_another_user(self, site: SiteClient) -> None:
        make_user(site, email="taken@example.com")
        user = make_user(site)
        response = site.put(f"/users/{user}", json={"email": "TAKEN@example.com"})
        assert response.status_code == 422
        assert response.json() == {"errors": {"email": ["has already been taken"]}}

    def test_changing_email_case_of_own_address_is_fine(self, site: SiteClient) -> None:
        user = make_user(site, email="me@example.com")
        assert site.put(f"/users/{user}", json={"email": "Me@Example.com"}).status_code == 204
        assert site.get(f"/users/{user}").json()["email"] == "Me@Example.com"

    def test_updates_custom_profile_fields(self, site: SiteClient) -> None:
        definition = make_profile_field_definition(site, label="Country")
        user = make_user(site)
        set_profile_field(site, user, definition, "Canada")
        response = site.put(
            f"/users/{user}",
            json={
                "custom_profile_fields": [
                    {"custom_profile_field_definition_id": definition, "value": "France"}
                ]
            },
        )
        assert response.status_code == 204
        fields = site.get(f"/users/{user}").json()["custom_profile_fields"]
        assert [(f["label"], f["value"]) for f in fields] == [("Country", "France")]

    def test_by_external_id(self, site: SiteClient) -> None:
        user = make_user(site, external_id="ext-9", provider="SSO")
        response = site.put("/users/ext-9?provider=SSO", json={"last_name": "Jones"})
        assert response.status_code == 204
        assert site.get(f"/users/{user}").json()["last_name"] == "Jones"

    def test_another_sites_user_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_user(other_site, first_name="Theirs")
        response = site.put(f"/users/{theirs}", json={"first_name": "Mine"})
        assert response.status_code == 404
        assert other_site.get(f"/users/{theirs}").json()["first_name"] == "Theirs"


class TestDeleteUser:
    def test_deletes_enrollments_and_memberships(self, site: SiteClient) -> None:
        user = make_user(site)
        course = make_course(site)
        make_enrollment(site, user, course)
        add_member(site, make_group(site), user)
        response = site.delete(f"/users/{user}")
        assert response.status_code == 204
        assert site.get(f"/users/{user}").status_code == 404

        def leftovers(session: Any) -> tuple[int, int]:
            return (
                session.scalar(select(func.count()).where(Enrollment.user_id == user)),
                session.scalar(select(func.count()).where(GroupMembership.user_id == user)),
            )

        assert site.db(leftovers) == (0, 0)

    def test_another_sites_user_is_404_and_kept(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_user(other_site)
        assert site.delete(f"/users/{theirs}").status_code == 404
        assert other_site.get(f"/users/{theirs}").status_code == 200


class TestAuthentication:
    @pytest.mark.parametrize("headers", [*BAD_CREDENTIALS, {"Authorization": "Basic Zm9vOmJhcg=="}])
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1/users", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)

    def test_key_with_another_sites_subdomain_is_401(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        response = site.http.get(
            "/api/public/v1/users",
            headers={"X-Auth-API-Key": site.key, "X-Auth-Subdomain": other_site.subdomain},
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)

    def test_api_key_also_works_as_bearer(self, site: SiteClient) -> None:
        response = site.http.get(
            "/api/public/v1/users", headers={"Authorization": f"Bearer {site.key}"}
        )
        assert response.status_code == 200

    def test_failed_auth_writes_nothing(self, site: SiteClient) -> None:
        response = site.http.post(
            "/api/public/v1/users",
            json={"first_name": "A", "last_name": "B", "email": "a@b.co"},
            headers={"X-Auth-API-Key": "f" * 32, "X-Auth-Subdomain": site.subdomain},
        )
        assert response.status_code == 401
        assert count_users(site) == 0


def test_fixture_timestamp_format_is_milliseconds_z() -> None:
    assert FIXED.isoformat() == "2024-02-22T20:32:52.726000+00:00"

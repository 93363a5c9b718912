"""Contract exercises for users (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    count_users,
    exercise,
    is_invalid_json_error,
    user_json,
)
from tests.factories import (
    add_course_admin,
    make_course,
    make_user,
)
from tests.support import pagination


@exercise("GET /users")
def list_users(c: Contract) -> None:
    ids = [make_user(c.site) for _ in range(5)]
    make_user(c.other_site)
    c.page_through("/users", ids)
    wanted = make_user(c.site, email="Wanted.Person@Example.com")
    found = c.call(200, "/users?query[email]=wanted.person@example.COM").json()
    assert found["items"] == [user_json(c.site, wanted)]
    fallback = c.call(200, "/users?page=abc&limit=0").json()
    assert fallback["meta"] == {"pagination": pagination(1, 25, 6, 6)}
    c.unauthorized("/users")


@exercise("POST /users")
def create_user(c: Contract) -> None:
    created = c.call(
        201,
        "/users",
        json={
            "first_name": "Bob",
            "last_name": "Smith",
            "email": "bob@example.com",
            "roles": ["affiliate"],
            "affiliate_commission": 12.5,
            "external_id": "ext-bob",
        },
    ).json()
    assert created == user_json(c.site, created["id"])
    assert (created["full_name"], created["affiliate_commission"]) == ("Bob Smith", "12.5")
    c.call(
        422,
        "/users",
        json={},
        expect={
            "errors": {
                "first_name": ["can't be blank"],
                "last_name": ["can't be blank"],
                "email": ["can't be blank"],
            }
        },
    )
    c.call(
        422,
        "/users",
        json={"first_name": "B", "last_name": "S", "email": "BOB@example.com"},
        expect={"errors": {"email": ["has already been taken"]}},
    )
    c.call(400, "/users", json=["first_name"], expect=NOT_AN_OBJECT)
    c.call(
        400,
        "/users",
        content=b'{"first_name": ',
        headers={"Content-Type": "application/json"},
        expect=is_invalid_json_error,
    )
    c.unauthorized("/users", json={"first_name": "E", "last_name": "V", "email": "eve@x.com"})
    assert count_users(c.site) == 1


@exercise("GET /users/{id}")
def get_user(c: Contract) -> None:
    course = make_course(c.site)
    user = make_user(c.site, external_id="ext-7", provider="SSO", roles=["course_admin"])
    add_course_admin(c.site, course, user)
    body = c.call(200, f"/users/{user}").json()
    assert (body["id"], body["roles"], body["administered_course_ids"]) == (
        user,
        ["course_admin"],
        [course],
    )
    assert c.call(200, "/users/ext-7?provider=SSO").json() == body
    c.call(404, f"/users/{NO_SUCH_ID}")
    c.call(404, "/users/not-a-number")
    c.call(404, f"/users/{make_user(c.other_site)}")
    c.call(400, f"/users/{user}?provider=LDAP", expect={"error": "Parameter provider is invalid."})
    c.unauthorized(f"/users/{user}")


@exercise("PUT /users/{id}")
def update_user(c: Contract) -> None:
    user = make_user(c.site, first_name="Old")
    make_user(c.site, email="taken@example.com")
    response = c.call(204, f"/users/{user}", json={"first_name": "New", "company": "Acme"})
    assert response.content == b""
    after = user_json(c.site, user)
    assert (after["first_name"], after["company"]) == ("New", "Acme")
    c.call(
        422,
        f"/users/{user}",
        json={"email": "TAKEN@example.com"},
        expect={"errors": {"email": ["has already been taken"]}},
    )
    c.call(400, f"/users/{user}", json=[], expect=NOT_AN_OBJECT)
    c.call(404, f"/users/{NO_SUCH_ID}", json={"first_name": "X"})
    foreign = make_user(c.other_site, first_name="Theirs")
    c.call(404, f"/users/{foreign}", json={"first_name": "Mine"})
    assert user_json(c.other_site, foreign)["first_name"] == "Theirs"
    c.unauthorized(f"/users/{user}", json={"first_name": "Eve"})
    assert user_json(c.site, user) == after


@exercise("DELETE /users/{id}")
def delete_user(c: Contract) -> None:
    user = make_user(c.site)
    c.unauthorized(f"/users/{user}")
    assert count_users(c.site) == 1
    assert c.call(204, f"/users/{user}").content == b""
    assert c.site.get(f"/users/{user}").status_code == 404
    c.call(404, f"/users/{user}")
    foreign = make_user(c.other_site)
    c.call(404, f"/users/{foreign}")
    assert count_users(c.other_site) == 1


@exercise("GET /users/{id}/authentications/{provider}")
def get_user_authentication(c: Contract) -> None:
    user = make_user(c.site, external_id="abc123", provider="SSO")
    c.call(
        200,
        f"/users/{user}/authentications/SSO",
        expect={"provider": "SSO", "external_id": "abc123"},
    )
    c.call(404, f"/users/{user}/authentications/OPENID_CONNECT")
    c.call(404, f"/users/{make_user(c.site)}/authentications/SSO")
    c.call(404, f"/users/{NO_SUCH_ID}/authentications/SSO")
    c.unauthorized(f"/users/{user}/authentications/SSO")

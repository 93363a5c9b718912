"""Every operation we serve under /api/public/v1, exercised over HTTP and checked against our own
OpenAPI document.

The operations are discovered from ``create_app().openapi()``, so a new route is picked up by
itself, and fails here until someone writes its exercise in ``EXERCISES``. Each exercise drives
the operation with valid data (rows made by tests/factories.py) and with its error cases; every
response must be documented and match its schema (tests/openapi_validator.py), and error bodies
are compared whole, because the documented error schemas say less than Thinkific's wire format.

What an exercise must cover is derived from the operation itself:

* always a success (2xx) and a 401;
* a path with parameters: a 404;
* a request body: a 400 (a body that is not a JSON object) and a 422;
* a list (``page`` and ``limit`` parameters): a walk through every page (``page_through``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import func, select

from syllabus.api import ADMIN_PREFIX
from syllabus.config import Settings
from syllabus.main import create_app
from syllabus.models import Enrollment, User
from tests.factories import (
    add_course_admin,
    make_chapter,
    make_content,
    make_course,
    make_enrollment,
    make_profile_field_definition,
    make_user,
)
from tests.openapi_validator import assert_matches_openapi, find_operation
from tests.support import PAGINATION_FIELDS, PREFIX, SiteClient, pagination

METHODS = ("get", "post", "put", "patch", "delete")
NO_SUCH_ID = 987_654_321
AUTHENTICATION_ERROR = {"error": "Authentication Error"}
RECORD_NOT_FOUND = {"error": "Record not found."}
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
PAGINATION_KEYS = set(PAGINATION_FIELDS)


def _served_openapi() -> dict[str, Any]:
    """Our OpenAPI document, from an app whose database is never touched."""
    app = create_app(Settings(database_url="sqlite://"))
    try:
        return app.openapi()
    finally:
        app.state.database.dispose()


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), template.removeprefix(ADMIN_PREFIX))
        for template, operations in openapi["paths"].items()
        if template.startswith(ADMIN_PREFIX + "/")
        for method in operations
        if method in METHODS
    )


_PARAMETER = re.compile(r"\{[^}]*\}")


def _shape(method: str, template: str) -> str:
    """``GET /users/{}``: an operation, whatever its path parameters are called."""
    return f"{method.upper()} {_PARAMETER.sub('{}', template)}"


SERVED = _served_openapi()
OPERATIONS = _operations(SERVED)


# -- The harness ------------------------------------------------------------------------------


@dataclass
class Contract:
    """One operation under test, with a site to exercise it on and what the exercise covered."""

    method: str
    template: str
    spec: dict[str, Any]
    openapi: dict[str, Any]
    site: SiteClient
    other_site: SiteClient
    statuses: list[int] = field(default_factory=list)
    paged: bool = False

    def call(
        self,
        status: int,
        path: str,
        *,
        expect: Any = None,
        credentials: str = "site",
        **kwargs: Any,
    ) -> httpx.Response:
        """Send this operation's method to ``path`` and check the response.

        ``expect`` is the whole expected JSON body, or a predicate on it. 401 and 404 default to
        Thinkific's bodies; every other 4xx must say what it expects.
        """
        operation = find_operation(self.openapi, self.method, PREFIX + path)
        assert operation.template == ADMIN_PREFIX + self.template, (
            f"{self.method} {path} reaches {operation.template}, not the operation under test"
        )
        headers = {
            "site": self.site.headers,
            "none": {},
            "bad key": {**self.site.headers, "X-Auth-API-Key": "0" * 32},
            "other subdomain": {**self.site.headers, "X-Auth-Subdomain": self.other_site.subdomain},
        }[credentials]
        response = self.site.http.request(
            self.method, PREFIX + path, headers={**headers, **kwargs.pop("headers", {})}, **kwargs
        )
        self.statuses.append(response.status_code)
        assert response.status_code == status, (
            f"{self.method} {path}: expected {status}, got {response.status_code}: {response.text}"
        )
        assert_matches_openapi(self.openapi, self.method, PREFIX + path, response)
        if expect is None:
            expect = {401: AUTHENTICATION_ERROR, 404: RECORD_NOT_FOUND}.get(status)
        if expect is None and status >= 400:
            raise AssertionError(f"the exercise must say which {status} body it expects")
        if callable(expect):
            assert expect(response.json()), f"{self.method} {path}: {response.text}"
        elif expect is not None:
            assert response.json() == expect
        if status == 200 and self.is_list:
            body = response.json()
            assert set(body) == {"items", "meta"}
            assert set(body["meta"]) == {"pagination"}
            assert set(body["meta"]["pagination"]) == PAGINATION_KEYS
        return response

    def unauthorized(self, path: str, **kwargs: Any) -> None:
        """401 without credentials, with a wrong key, and with a key for another subdomain."""
        for credentials in ("none", "bad key", "other subdomain"):
            self.call(401, path, credentials=credentials, **kwargs)

    def page_through(self, path: str, expected_ids: list[int], *, limit: int = 2) -> None:
        """Walk every page, then one beyond the last; compare ids and ``meta`` on each."""
        total = len(expected_ids)
        separator = "&" if "?" in path else "?"
        page = 1
        while True:
            body = self.call(200, f"{path}{separator}page={page}&limit={limit}").json()
            chunk = expected_ids[(page - 1) * limit : page * limit]
            assert [item["id"] for item in body["items"]] == chunk
            assert body["meta"] == {"pagination": pagination(page, limit, total, len(chunk))}
            if body["meta"]["pagination"]["next_page"] is None:
                break
            page += 1
        beyond = self.call(200, f"{path}{separator}page={page + 1}&limit={limit}").json()
        assert beyond == {
            "items": [],
            "meta": {"pagination": pagination(page + 1, limit, total, 0)},
        }
        self.paged = True

    @property
    def is_list(self) -> bool:
        names = {p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "query"}
        return {"page", "limit"} <= names

    def required_statuses(self) -> set[int]:
        required = {401}
        if "{" in self.template:
            required.add(404)
        if "requestBody" in self.spec:
            required |= {400, 422}
        return required


Exercise = Callable[[Contract], None]
EXERCISES: dict[str, Exercise] = {}


def exercise(key: str) -> Callable[[Exercise], Exercise]:
    def register(function: Exercise) -> Exercise:
        method, template = key.split(" ", 1)
        assert _shape(method, template) not in EXERCISES, f"two exercises for {key}"
        EXERCISES[_shape(method, template)] = function
        return function

    return register


def count_users(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(User.site_id == site.id)))


def user_json(site: SiteClient, user_id: int) -> dict[str, Any]:
    response = site.get(f"/users/{user_id}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def is_invalid_json_error(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and list(body) == ["error"]
        and body["error"].startswith("The request body is not valid JSON")
    )


# -- Users ------------------------------------------------------------------------------------


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


# -- Courses, chapters, contents -----------------------------------------------------------


def site_list(path: str, make: Callable[[SiteClient], int]) -> Exercise:
    """A plain list of the site's rows: three made by ``make`` paged through (one made on the
    other site is not listed), and the 401s."""

    def run(c: Contract) -> None:
        ids = [make(c.site) for _ in range(3)]
        make(c.other_site)
        c.page_through(path, ids)
        c.unauthorized(path)

    return run


exercise("GET /courses")(site_list("/courses", make_course))


@exercise("GET /courses/{id}")
def get_course(c: Contract) -> None:
    course = make_course(c.site, name="Corporate Course")
    second = make_chapter(c.site, course, position=2)
    first = make_chapter(c.site, course, position=1)
    body = c.call(200, f"/courses/{course}").json()
    assert (body["id"], body["name"], body["chapter_ids"]) == (
        course,
        "Corporate Course",
        [first, second],
    )
    c.call(404, f"/courses/{NO_SUCH_ID}")
    c.call(404, "/courses/abc")
    c.call(404, f"/courses/{make_course(c.other_site)}")
    c.unauthorized(f"/courses/{course}")


@exercise("GET /courses/{id}/chapters")
def list_course_chapters(c: Contract) -> None:
    course = make_course(c.site)
    later = make_chapter(c.site, course, position=3)
    earlier = [make_chapter(c.site, course, position=p) for p in (1, 2)]
    make_chapter(c.site, make_course(c.site), position=1)
    c.page_through(f"/courses/{course}/chapters", [*earlier, later])
    c.call(404, f"/courses/{NO_SUCH_ID}/chapters")
    c.call(404, f"/courses/{make_course(c.other_site)}/chapters")
    c.unauthorized(f"/courses/{course}/chapters")


@exercise("GET /chapters/{id}")
def get_chapter(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course, name="Welcome")
    contents = [make_content(c.site, chapter, course, position=p) for p in (1, 2)]
    body = c.call(200, f"/chapters/{chapter}").json()
    assert (body["id"], body["name"], body["content_ids"]) == (chapter, "Welcome", contents)
    c.call(404, f"/chapters/{NO_SUCH_ID}")
    foreign_course = make_course(c.other_site)
    c.call(404, f"/chapters/{make_chapter(c.other_site, foreign_course)}")
    c.unauthorized(f"/chapters/{chapter}")


@exercise("GET /chapters/{id}/contents")
def list_chapter_contents(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course)
    ids = [make_content(c.site, chapter, course, position=p) for p in (1, 2, 3)]
    c.page_through(f"/chapters/{chapter}/contents", ids)
    c.call(404, f"/chapters/{NO_SUCH_ID}/contents")
    c.unauthorized(f"/chapters/{chapter}/contents")


@exercise("GET /contents/{id}")
def get_content(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course)
    content = make_content(c.site, chapter, course, name="Intro", contentable_type="Quiz")
    body = c.call(200, f"/contents/{content}").json()
    assert (body["id"], body["name"], body["chapter_id"], body["contentable_type"]) == (
        content,
        "Intro",
        chapter,
        "Quiz",
    )
    c.call(404, f"/contents/{NO_SUCH_ID}")
    c.unauthorized(f"/contents/{content}")


exercise("GET /custom_profile_field_definitions")(
    site_list("/custom_profile_field_definitions", make_profile_field_definition)
)


# -- Enrollments ------------------------------------------------------------------------------


def enrollment_count(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Enrollment.site_id == site.id)))


@exercise("GET /enrollments")
def list_enrollments(c: Contract) -> None:
    course = make_course(c.site)
    users = [make_user(c.site) for _ in range(3)]
    ids = [make_enrollment(c.site, user, course) for user in users]
    make_enrollment(c.other_site, make_user(c.other_site), make_course(c.other_site))
    c.page_through("/enrollments", ids)
    mine = c.call(200, f"/enrollments?query[user_id]={users[1]}").json()
    assert [item["id"] for item in mine["items"]] == [ids[1]]
    c.unauthorized("/enrollments")


@exercise("POST /enrollments")
def create_enrollment(c: Contract) -> None:
    course, user = make_course(c.site), make_user(c.site)
    created = c.call(
        201,
        "/enrollments",
        json={"course_id": course, "user_id": user, "activated_at": "2025-01-10T09:00:00Z"},
    ).json()
    assert (created["course_id"], created["user_id"], created["is_free_trial"]) == (
        course,
        user,
        False,
    )
    assert c.site.get(f"/enrollments/{created['id']}").json() == created
    c.call(
        422,
        "/enrollments",
        json={"course_id": NO_SUCH_ID, "user_id": NO_SUCH_ID},
        expect={"errors": ["Course could not be found.", "User could not be found."]},
    )
    c.call(
        422,
        "/enrollments",
        json={"course_id": course, "user_id": user},
        expect={"errors": {"user_id": ["is already enrolled in this course"]}},
    )
    c.call(400, "/enrollments", json=[course, user], expect=NOT_AN_OBJECT)
    c.unauthorized("/enrollments", json={"course_id": course, "user_id": make_user(c.site)})
    assert enrollment_count(c.site) == 1


@exercise("GET /enrollments/{id}")
def get_enrollment(c: Contract) -> None:
    course, user = make_course(c.site, name="Algebra"), make_user(c.site, email="al@example.com")
    enrollment = make_enrollment(c.site, user, course)
    body = c.call(200, f"/enrollments/{enrollment}").json()
    assert (body["id"], body["user_email"], body["course_name"], body["expired"]) == (
        enrollment,
        "al@example.com",
        "Algebra",
        False,
    )
    c.call(404, f"/enrollments/{NO_SUCH_ID}")
    c.call(404, "/enrollments/abc")
    foreign = make_enrollment(c.other_site, make_user(c.other_site), make_course(c.other_site))
    c.call(404, f"/enrollments/{foreign}")
    c.unauthorized(f"/enrollments/{enrollment}")


@exercise("PUT /enrollments/{id}")
def update_enrollment(c: Contract) -> None:
    enrollment = make_enrollment(c.site, make_user(c.site), make_course(c.site))
    c.unauthorized(f"/enrollments/{enrollment}", json={"expiry_date": "2000-01-01T00:00:00Z"})
    assert c.site.get(f"/enrollments/{enrollment}").json()["expired"] is False
    response = c.call(
        204, f"/enrollments/{enrollment}", json={"expiry_date": "2001-02-03T04:05:06Z"}
    )
    assert response.content == b""
    after = c.site.get(f"/enrollments/{enrollment}").json()
    assert (after["expiry_date"], after["expired"]) == ("2001-02-03T04:05:06.000Z", True)
    c.call(
        422,
        f"/enrollments/{enrollment}",
        json={"expiry_date": "not a date"},
        expect={"errors": {"expiry_date": ["is invalid"]}},
    )
    c.call(400, f"/enrollments/{enrollment}", json="expiry_date", expect=NOT_AN_OBJECT)
    c.call(404, f"/enrollments/{NO_SUCH_ID}", json={"expiry_date": "2000-01-01T00:00:00Z"})


# -- The sweep --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(http: TestClient) -> dict[str, Any]:
    return http.app.openapi()  # type: ignore[attr-defined,no-any-return]


def test_operations_are_discovered(served: dict[str, Any]) -> None:
    assert _operations(served) == OPERATIONS
    assert ("GET", "/users") in OPERATIONS


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_responses_match_the_openapi_document(
    method: str,
    template: str,
    served: dict[str, Any],
    site: SiteClient,
    other_site: SiteClient,
) -> None:
    run = EXERCISES.get(_shape(method, template))
    if run is None:
        pytest.fail(
            f"{method} {template} has no exercise: add one to EXERCISES in {__name__}, "
            "with valid data and its error cases"
        )
    spec = served["paths"][ADMIN_PREFIX + template][method.lower()]
    contract = Contract(method, template, spec, served, site, other_site)
    run(contract)
    seen = set(contract.statuses)
    assert any(200 <= status < 300 for status in seen), f"no success exercised: {sorted(seen)}"
    missing = contract.required_statuses() - seen
    assert not missing, f"{method} {template}: the exercise never checks {sorted(missing)}"
    assert contract.paged or not contract.is_list, "a list must be walked with page_through"


# -- Static checks of the document -------------------------------------------------------


def _resolver(openapi: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    schemas = openapi.get("components", {}).get("schemas", {})

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].removeprefix("#/components/schemas/")]
        return schema

    return resolve


def _nullable_integer(schema: dict[str, Any]) -> bool:
    if "anyOf" in schema:
        return sorted(branch.get("type") for branch in schema["anyOf"]) == ["integer", "null"]
    return sorted(schema.get("type", [])) == ["integer", "null"]


def _get_operations(openapi: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for template, operations in openapi["paths"].items():
        if template.startswith(ADMIN_PREFIX + "/") and "get" in operations:
            yield template, operations["get"]


def _success_schema(operation: dict[str, Any]) -> dict[str, Any]:
    response = operation["responses"].get("200", {})
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return _resolver(SERVED)(schema)


# A list is anything that takes page and limit, or answers items: both must be the envelope.
LIST_OPERATIONS = sorted(
    template
    for template, operation in _get_operations(SERVED)
    if {"page", "limit"} & {p["name"] for p in operation.get("parameters", [])}
    or "items" in _success_schema(operation).get("properties", {})
)


@pytest.mark.parametrize("template", LIST_OPERATIONS)
def test_lists_document_the_items_and_pagination_envelope(template: str) -> None:
    resolve = _resolver(SERVED)
    operation = SERVED["paths"][template]["get"]
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    assert {"page", "limit"} <= query
    envelope = _success_schema(operation)
    assert set(envelope["properties"]) == {"items", "meta"}
    assert set(envelope["required"]) == {"items", "meta"}
    assert envelope["properties"]["items"]["type"] == "array"
    meta = resolve(envelope["properties"]["meta"])
    assert (set(meta["properties"]), set(meta["required"])) == ({"pagination"}, {"pagination"})
    page = resolve(meta["properties"]["pagination"])
    assert set(page["properties"]) == set(page["required"]) == PAGINATION_KEYS
    fields = page["properties"]
    assert [fields[k]["type"] for k in ("current_page", "total_pages", "total_items")] == [
        "integer"
    ] * 3
    assert _nullable_integer(fields["next_page"])
    assert _nullable_integer(fields["prev_page"])
    assert fields["entries_info"]["type"] == "string"


def test_the_users_list_is_recognised_as_a_list() -> None:
    assert f"{ADMIN_PREFIX}/users" in LIST_OPERATIONS
    assert f"{ADMIN_PREFIX}/users/{{id}}" not in LIST_OPERATIONS


ERROR_BODIES = {
    400: {"error": "Parameter promotion_id is required."},
    401: AUTHENTICATION_ERROR,
    404: RECORD_NOT_FOUND,
    413: {"error": "Request body is too large."},
    422: {"errors": {"email": ["has already been taken"]}},
}


def test_error_responses_document_thinkific_error_bodies() -> None:
    """Each documented 4xx schema must accept Thinkific's body and reject FastAPI's ``detail``.

    Otherwise validating a response cannot tell ``{"error": "Record not found."}`` from
    ``{"detail": "Not Found"}``, the regression that matters most to Thinkific clients.
    """
    registry: Registry[Any] = Registry().with_resource(
        "urn:served", DRAFT202012.create_resource(SERVED)
    )
    loose: dict[str, list[str]] = {}
    for method, template in OPERATIONS:
        responses = SERVED["paths"][ADMIN_PREFIX + template][method.lower()]["responses"]
        for status in sorted(responses):
            if not status.startswith("4"):
                continue
            pointer = "/".join(
                part.replace("~", "~0").replace("/", "~1")
                for part in (
                    "paths",
                    ADMIN_PREFIX + template,
                    method.lower(),
                    "responses",
                    status,
                    "content",
                    "application/json",
                    "schema",
                )
            )
            validator = Draft202012Validator({"$ref": f"urn:served#/{pointer}"}, registry=registry)
            thinkific = ERROR_BODIES.get(int(status), {"error": "message"})
            if not validator.is_valid(thinkific) or validator.is_valid({"detail": "Not Found"}):
                loose.setdefault(status, []).append(f"{method} {template}")
    assert not loose, "documented error schemas that accept {'detail': ...}:\n" + "\n".join(
        f"  {status}: {', '.join(operations)}" for status, operations in sorted(loose.items())
    )

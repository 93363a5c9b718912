"""Hostile input: every request a careless or malicious client can send gets a clear 4xx in
Thinkific's error shape, or is handled safely, and a refused write leaves nothing behind.

Oversized bodies, deeply nested JSON, invalid UTF-8 anywhere, integers beyond 64 bits, absurd
``page`` and ``limit``, ``query[...]`` values full of quotes, wildcards and SQL, wrong content
types, duplicate keys, and strings at, just over and far over every limit. The generic sweep of
every write operation's text fields is in ``test_long_strings.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from tests.factories import make_course, make_enrollment, make_user
from tests.support import (
    PREFIX,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    client_with,
    pagination,
)

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
NOT_UTF8 = {"error": "Parameters must be valid UTF-8."}
DEPTH_LIMIT = {"error": "The request body is not valid JSON: depth limit exceeded."}
NESTED_TOO_DEEPLY = {"error": "Parameters are nested too deeply."}
TOO_LARGE = {"error": "Request body is too large."}
USER = {"first_name": "Hostile", "last_name": "Input", "email": "hostile@example.com"}


def user_count(site: SiteClient) -> int:
    return int(site.get("/users").json()["meta"]["pagination"]["total_items"])


class TestOversizedBodies:
    """``SYLLABUS_MAX_BODY_BYTES`` bounds every body, declared or streamed: 413 before parsing."""

    LIMIT = 2048

    @pytest.fixture
    def small(self, database: Database, database_url: str) -> Iterator[TestClient]:
        with client_with(database, database_url, max_body_bytes=self.LIMIT) as client:
            yield client

    HEAD = b'{"first_name":"A","last_name":"B","email":"big@example.com","bio":"'

    def _body(self, size: int) -> bytes:
        return self.HEAD + b"x" * (size - len(self.HEAD) - 2) + b'"}'

    def test_a_declared_body_over_the_limit_is_413(self, small: TestClient, site: SiteClient):
        response = small.post(
            PREFIX + "/users", content=self._body(self.LIMIT + 1), headers=site.headers | JSON
        )
        assert_answers(response, 413, TOO_LARGE)
        assert user_count(site) == 0

    def test_a_streamed_body_over_the_limit_is_413(self, small: TestClient, site: SiteClient):
        body = self._body(self.LIMIT * 4)

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 512):
                yield body[start : start + 512]

        response = small.post(PREFIX + "/users", content=chunks(), headers=site.headers | JSON)
        assert_answers(response, 413, TOO_LARGE)
        assert user_count(site) == 0

    def test_a_body_at_the_limit_is_read(self, small: TestClient, site: SiteClient) -> None:
        response = small.post(
            PREFIX + "/users", content=self._body(self.LIMIT), headers=site.headers | JSON
        )
        assert response.status_code == 201
        assert response.json()["bio"] == "x" * (self.LIMIT - len(self.HEAD) - 2)

    def test_the_oauth_token_endpoint_is_bounded_too(self, small: TestClient) -> None:
        response = small.post(
            "/oauth2/token", content=b"grant_type=" + b"x" * self.LIMIT, headers=FORM
        )
        assert response.status_code == 413
        assert response.json() == TOO_LARGE

    def test_the_default_limit_is_one_mebibyte(self, site: SiteClient) -> None:
        response = site.post("/users", content=self._body(1_048_577), headers=JSON)
        assert_answers(response, 413, TOO_LARGE)


class TestMalformedJson:
    @pytest.mark.parametrize(
        "body",
        [
            b'{"first_name":' + b"[" * 5000 + b"]" * 5000 + b"}",
            b'{"a":' * 5000 + b"1" + b"}" * 5000,
        ],
        ids=["arrays", "objects"],
    )
    def test_deep_nesting_is_a_400(self, site: SiteClient, body: bytes) -> None:
        response = site.post("/users", content=body, headers=JSON)
        assert_answers(
            response, 400, {"error": "The request body is not valid JSON: depth limit exceeded."}
        )
        assert user_count(site) == 0

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            (b'{"first_name":NaN}', "unexpected character, expected a JSON value"),
            (b'{"first_name":"\\ud800"}', "no low surrogate in string"),
            (b'{"first_name":"a"', "unexpected end of data"),
        ],
        ids=["nan", "lone-surrogate", "truncated"],
    )
    def test_json_that_is_not_json_is_a_400(self, site: SiteClient, body: bytes, reason: str):
        response = site.post("/users", content=body, headers=JSON)
        assert_answers(response, 400, {"error": f"The request body is not valid JSON: {reason}."})

    @pytest.mark.parametrize("body", [b"[1, 2]", b'"user"', b"42", b"true"])
    def test_a_body_that_is_not_an_object_is_a_400(self, site: SiteClient, body: bytes) -> None:
        response = site.post("/users", content=body, headers=JSON)
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})

    def test_duplicate_keys_keep_the_last_as_ruby_does(self, site: SiteClient) -> None:
        body = (
            b'{"first_name":"First","first_name":"Last","last_name":"B","email":"dup@example.com"}'
        )
        response = site.post("/users", content=body, headers=JSON)
        assert response.status_code == 201
        assert response.json()["first_name"] == "Last"
        assert site.get(f"/users/{response.json()['id']}").json()["first_name"] == "Last"


class TestDeepNestingIsA400:
    """Past Rails' 100 levels, JSON and bracketed keys are a 400. Found by the upstream fuzz's
    probing: a few hundred levels (under orjson's own limit of 1024) overflowed the stack in
    kit/body.py's recursive walks, a 500."""

    @pytest.mark.parametrize(
        "body",
        [
            b'{"first_name":' + b"[" * 400 + b"]" * 400 + b"}",
            b'{"a":' * 400 + b"1" + b"}" * 400,
            b'{"a":' + b"[" * 100 + b"]" * 100 + b"}",
        ],
        ids=["arrays", "objects", "one-past-the-limit"],
    )
    def test_json_nested_past_the_limit(self, site: SiteClient, body: bytes) -> None:
        response = site.post("/users", content=body, headers=JSON)
        assert_answers(response, 400, DEPTH_LIMIT)

    def test_json_nested_to_the_limit_is_read(self, site: SiteClient) -> None:
        nested: Any = []
        for _ in range(98):
            nested = [nested]
        response = site.post("/users", json={**USER, "ignored": nested})
        assert response.status_code == 201, response.text
        assert response.json()["email"] == USER["email"]

    def test_a_form_key_nested_past_the_limit(self, site: SiteClient) -> None:
        response = site.post("/users", content=b"first_name" + b"[0]" * 400 + b"=A", headers=FORM)
        assert_answers(response, 400, NESTED_TOO_DEEPLY)

    def test_a_query_key_nested_past_the_limit_beside_a_body(self, site: SiteClient) -> None:
        response = site.post("/users", params={"a" + "[0]" * 400: "1"}, json=USER)
        assert_answers(response, 400, NESTED_TOO_DEEPLY)

    def test_a_key_nested_to_the_limit_is_read(self, site: SiteClient) -> None:
        response = site.post("/users", params={"a" + "[0]" * 99: "1"}, json=USER)
        assert response.status_code == 201, response.text


class TestInvalidUtf8:
    def test_in_a_json_body(self, site: SiteClient) -> None:
        body = b'{"first_name":"\xff\xfe","last_name":"B","email":"utf@example.com"}'
        response = site.post("/users", content=body, headers=JSON)
        assert_answers(
            response,
            400,
            {
                "error": "The request body is not valid JSON: str is not valid UTF-8: surrogates not allowed."
            },
        )
        assert user_count(site) == 0

    def test_in_a_form_body(self, site: SiteClient) -> None:
        body = b"first_name=%FF%FE&last_name=B&email=utf%40example.com"
        assert_answers(site.post("/users", content=body, headers=FORM), 400, NOT_UTF8)
        assert user_count(site) == 0

    def test_in_the_query_of_a_read(self, site: SiteClient) -> None:
        assert_answers(site.get("/users?query%5Bemail%5D=%C3%28%40example.com"), 400, NOT_UTF8)

    def test_in_the_query_of_a_write(self, site: SiteClient) -> None:
        assert_answers(site.post("/users?company=%E2%82", json=USER), 400, NOT_UTF8)
        assert user_count(site) == 0

    def test_in_a_get_body(self, site: SiteClient) -> None:
        response = site.get("/users", content=b"query[email]=%FF", headers=FORM)
        assert_answers(response, 400, NOT_UTF8)

    def test_in_a_path_id(self, site: SiteClient) -> None:
        assert_answers(site.get("/users/%FF%FE"), 404, RECORD_NOT_FOUND)

    def test_escaped_utf8_is_read(self, site: SiteClient) -> None:
        body = "first_name=Ren%C3%A9e&last_name=%E2%82%AC&email=utf%40example.com"
        response = site.post("/users", content=body, headers=FORM)
        assert response.status_code == 201
        assert (response.json()["first_name"], response.json()["last_name"]) == ("Renée", "€")
        found = site.get("/users?query%5Bemail%5D=UTF%40example.com").json()["items"]
        assert [user["full_name"] for user in found] == ["Renée €"]


class TestHugeIntegers:
    @pytest.mark.parametrize("value", [2**63, 2**64, 10**40, -(2**70)])
    def test_in_a_path_id(self, site: SiteClient, value: int) -> None:
        assert_answers(site.get(f"/users/{value}"), 404, RECORD_NOT_FOUND)
        assert_answers(site.put(f"/users/{value}", json={"first_name": "x"}), 404, RECORD_NOT_FOUND)
        assert_answers(site.delete(f"/users/{value}"), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("value", [2**63, 2**70, -(2**70)])
    def test_as_referenced_ids_in_a_body(self, site: SiteClient, value: int) -> None:
        response = site.post("/enrollments", json={"user_id": value, "course_id": value})
        assert_answers(
            response, 422, {"errors": ["Course could not be found.", "User could not be found."]}
        )

    def test_as_a_filter(self, site: SiteClient) -> None:
        make_enrollment(site, make_user(site), make_course(site))
        for query in (f"query[user_id]={2**70}", f"query[course_id]={-(2**64)}"):
            response = site.get(f"/enrollments?{query}")
            assert_answers(
                response, 200, {"items": [], "meta": {"pagination": pagination(1, 25, 0, 0)}}
            )

    def test_as_an_amount(self, site: SiteClient) -> None:
        body = {"name": "Huge", "discount_type": "fixed", "amount": 10**30}
        response = site.post("/promotions", json=body)
        assert_answers(
            response, 422, {"errors": {"amount": ["is too long (maximum is 12 digits)"]}}
        )
        assert site.get("/promotions").json()["items"] == []


class TestAbsurdPaging:
    """Rails' ``to_i``: what is not a positive number is the first page and the default limit;
    a page far beyond the last is empty, and the page number is capped so it stays an integer
    every database can offset by."""

    @pytest.fixture
    def three(self, site: SiteClient) -> list[int]:
        return [make_user(site) for _ in range(3)]

    @pytest.mark.parametrize("page", ["-1", "0", "abc", "1.5", "", "'; DROP TABLE users; --"])
    def test_a_page_that_is_no_positive_number_is_the_first(
        self, site: SiteClient, three: list[int], page: str
    ) -> None:
        response = site.get("/users", params={"page": page})
        assert response.status_code == 200
        assert [user["id"] for user in response.json()["items"]] == three
        assert response.json()["meta"] == {"pagination": pagination(1, 25, 3, 3)}

    @pytest.mark.parametrize("limit", ["-1", "0", "abc", "1e9"])
    def test_a_limit_that_is_no_positive_number_is_the_default(
        self, site: SiteClient, three: list[int], limit: str
    ) -> None:
        response = site.get("/users", params={"limit": limit})
        assert [user["id"] for user in response.json()["items"]] == three

    @pytest.mark.parametrize("page", [str(2**63), str(10**30)])
    def test_a_page_beyond_64_bits_is_empty(
        self, site: SiteClient, three: list[int], page: str
    ) -> None:
        response = site.get("/users", params={"page": page})
        assert response.status_code == 200
        assert response.json()["items"] == []
        meta = response.json()["meta"]["pagination"]
        assert (meta["current_page"], meta["total_items"], meta["next_page"]) == (
            10_000_000,
            3,
            None,
        )

    def test_a_limit_beyond_the_maximum_is_the_maximum(self, site: SiteClient) -> None:
        for _ in range(3):
            make_user(site)
        response = site.get("/users", params={"limit": str(10**30)})
        assert len(response.json()["items"]) == 3


class TestQueryValues:
    """Filters are bound parameters compared whole: quotes, SQL and LIKE wildcards are text."""

    EMAILS = ["o'brien@example.com", "per%cent@example.com", "under_score@example.com"]

    @pytest.fixture
    def users(self, site: SiteClient) -> dict[str, int]:
        made = {email: make_user(site, email=email) for email in self.EMAILS}
        make_user(site, email="underXscore@example.com")
        make_user(site, email="percent@example.com")
        return made

    @pytest.mark.parametrize("email", EMAILS)
    def test_an_email_with_special_characters_finds_only_itself(
        self, site: SiteClient, users: dict[str, int], email: str
    ) -> None:
        found = site.get("/users", params={"query[email]": email}).json()["items"]
        assert [user["id"] for user in found] == [users[email]]

    @pytest.mark.parametrize(
        "value",
        ["%", "_", "%@example.com", "' OR '1'='1", "x' UNION SELECT * FROM users --", '"; --', "*"],
    )
    def test_wildcards_and_sql_match_nothing(
        self, site: SiteClient, users: dict[str, int], value: str
    ) -> None:
        for path in ("/users", "/enrollments"):
            response = site.get(path, params={"query[email]": value})
            assert_answers(
                response, 200, {"items": [], "meta": {"pagination": pagination(1, 25, 0, 0)}}
            )
        assert user_count(site) == 5

    def test_sql_in_an_external_id_is_text(self, site: SiteClient, users: dict[str, int]) -> None:
        response = site.get("/users/' OR 1=1 --", params={"provider": "SSO"})
        assert_answers(response, 404, RECORD_NOT_FOUND)
        response = site.delete("/users/%25", params={"provider": "SSO"})
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert user_count(site) == 5


class TestContentTypes:
    def test_a_json_object_sent_as_text_plain_is_read_as_json(self, site: SiteClient) -> None:
        response = site.post(
            "/users", json=None, content=orjson.dumps(USER), headers={"Content-Type": "text/plain"}
        )
        assert response.status_code == 201
        assert response.json()["email"] == USER["email"]

    def test_a_json_object_with_no_content_type_is_read_as_json(self, site: SiteClient) -> None:
        request = site.http.build_request(
            "POST", PREFIX + "/users", content=orjson.dumps(USER), headers=site.headers
        )
        assert "Content-Type" not in request.headers
        assert site.http.send(request).status_code == 201

    def test_xml_is_a_400(self, site: SiteClient) -> None:
        response = site.post(
            "/users", content=b"<user/>", headers={"Content-Type": "application/xml"}
        )
        assert_answers(
            response,
            400,
            {
                "error": "The request body is not valid JSON: unexpected character, expected a JSON value."
            },
        )
        assert user_count(site) == 0

    def test_a_multipart_file_is_its_name_and_nothing_leaks(self, site: SiteClient) -> None:
        response = site.post(
            "/users", data=USER, files={"avatar_url": ("avatar.png", b"\x89PNG" * 100)}
        )
        assert response.status_code == 201
        assert response.json()["avatar_url"] == "avatar.png"

    def test_an_unterminated_multipart_body_has_no_fields(self, site: SiteClient) -> None:
        response = site.post(
            "/users",
            content=b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        assert_answers(
            response,
            422,
            {
                "errors": {
                    "first_name": ["can't be blank"],
                    "last_name": ["can't be blank"],
                    "email": ["can't be blank"],
                }
            },
        )
        assert user_count(site) == 0


class TestLongStrings:
    """At the limit, text is stored and returned intact, counted in characters on both
    databases; one over is a 422 naming the limit; far over is the same 422."""

    @pytest.mark.parametrize("character", ["a", "é", "😀", "\u202e"])
    def test_at_the_limit_every_character_is_kept(self, site: SiteClient, character: str) -> None:
        body = {
            **USER,
            "first_name": character * 255,
            "company": character * 255,
            "bio": character * 65535,
        }
        created = site.post("/users", json=body)
        assert created.status_code == 201
        stored = site.get(f"/users/{created.json()['id']}").json()
        assert (stored["first_name"], stored["company"], stored["bio"]) == (
            body["first_name"],
            body["company"],
            body["bio"],
        )

    @pytest.mark.parametrize("length", [256, 100_000])
    def test_over_the_limit_is_a_422(self, site: SiteClient, length: int) -> None:
        body = {**USER, "first_name": "é" * length, "bio": "b" * (65535 + length)}
        response = site.post("/users", json=body)
        assert_answers(
            response,
            422,
            {
                "errors": {
                    "first_name": ["is too long (maximum is 255 characters)"],
                    "bio": ["is too long (maximum is 65535 characters)"],
                }
            },
        )
        assert user_count(site) == 0

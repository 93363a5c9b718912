"""The validator itself, on a small hand-written document: it must catch what it claims to."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.openapi_validator import (
    UndocumentedOperation,
    assert_matches_openapi,
    find_operation,
)


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


THING = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
    },
    "required": ["id", "name"],
}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "responses": {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
                    ),
                    "4XX": _json({"$ref": "#/components/schemas/Error"}),
                }
            }
        },
        "/things/{id}": {
            "get": {
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Thing"}),
                    "default": _json({"$ref": "#/components/schemas/Error"}),
                }
            },
            "put": {"responses": {"204": {"description": "Updated"}}},
        },
        "/things/special": {
            "get": {"responses": {"200": _json({"type": "object", "required": ["special"]})}}
        },
        "/things/{id}/extended": {
            "get": {"responses": {"200": _json({"$ref": "#/components/schemas/Extended"})}}
        },
    },
    "components": {
        "schemas": {
            "Thing": THING,
            "Tag": {
                "type": "object",
                "properties": {"label": {"type": "string"}},
                "required": ["label"],
            },
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}},
                "required": ["error"],
            },
            "Extended": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"extra": {"type": "integer"}}},
                ],
                "unevaluatedProperties": False,
            },
            "Base": {"type": "object", "properties": {"id": {"type": "integer"}}},
        }
    },
}


def respond(status: int, body: Any = None, **kwargs: Any) -> httpx.Response:
    if body is not None:
        return httpx.Response(status, json=body)
    return httpx.Response(status, **kwargs)


def failure(method: str, path: str, response: httpx.Response) -> str:
    with pytest.raises(AssertionError) as raised:
        assert_matches_openapi(DOCUMENT, method, path, response)
    return str(raised.value)


class TestFindOperation:
    def test_matches_templates_with_concrete_ids_and_ignores_the_query(self) -> None:
        assert find_operation(DOCUMENT, "get", "/things/42?x=1").template == "/things/{id}"
        assert find_operation(DOCUMENT, "GET", "/things/42/extended").template == (
            "/things/{id}/extended"
        )

    def test_a_literal_segment_beats_a_parameter(self) -> None:
        assert find_operation(DOCUMENT, "GET", "/things/special").template == "/things/special"
        assert find_operation(DOCUMENT, "PUT", "/things/special").template == "/things/{id}"

    def test_full_urls_are_accepted(self) -> None:
        assert find_operation(DOCUMENT, "GET", "http://testserver/things").template == "/things"

    def test_an_unknown_path_is_undocumented(self) -> None:
        with pytest.raises(UndocumentedOperation, match="no path template"):
            find_operation(DOCUMENT, "GET", "/nothing/here")

    def test_an_unknown_method_names_the_documented_ones(self) -> None:
        with pytest.raises(UndocumentedOperation, match=r"documents no DELETE.*GET, PUT"):
            find_operation(DOCUMENT, "DELETE", "/things/1")


class TestAssertMatchesOpenapi:
    def test_a_matching_body_passes(self) -> None:
        body = {"id": 1, "name": None, "tags": [{"label": "a"}]}
        assert_matches_openapi(DOCUMENT, "GET", "/things/1", respond(200, body))
        assert_matches_openapi(DOCUMENT, "GET", "/things", respond(200, [body]))

    def test_a_wrong_type_is_reported_with_its_location(self) -> None:
        message = failure("GET", "/things", respond(200, [{"id": "1", "name": "x"}]))
        assert "at $[0].id: '1' is not of type 'integer'" in message
        assert "/things (operation /things) answered 200" in message

    def test_a_missing_required_key_fails(self) -> None:
        assert "'name' is a required property" in failure(
            "GET", "/things/1", respond(200, {"id": 1})
        )

    def test_a_nullable_field_rejects_other_types(self) -> None:
        assert "at $.name: 5 is not of type 'string', 'null'" in failure(
            "GET", "/things/1", respond(200, {"id": 1, "name": 5})
        )

    def test_referenced_schemas_are_checked(self) -> None:
        assert "at $.tags[0]: 'label' is a required property" in failure(
            "GET", "/things/1", respond(200, {"id": 1, "name": "x", "tags": [{}]})
        )

    def test_undocumented_keys_fail(self) -> None:
        body = {"id": 1, "name": "x", "tags": [{"label": "a", "colour": "red"}], "extra": True}
        message = failure("GET", "/things/1", respond(200, body))
        assert "at $: Additional properties are not allowed ('extra' was unexpected)" in message
        assert "at $.tags[0]: Additional properties are not allowed ('colour'" in message

    def test_members_of_all_of_stay_open(self) -> None:
        response = respond(200, {"id": 1, "extra": 2})
        assert_matches_openapi(DOCUMENT, "GET", "/things/1/extended", response)
        assert "'other' was unexpected" in failure(
            "GET", "/things/1/extended", respond(200, {"id": 1, "other": 2})
        )

    def test_an_undocumented_status_fails(self) -> None:
        message = failure("PUT", "/things/1", respond(200, {}))
        assert "answered 200, which is not documented (documented: 204)" in message

    def test_status_ranges_and_default_are_fallbacks(self) -> None:
        assert_matches_openapi(DOCUMENT, "GET", "/things", respond(404, {"error": "nope"}))
        assert_matches_openapi(DOCUMENT, "GET", "/things/1", respond(500, {"error": "boom"}))
        assert "'error' is a required property" in failure(
            "GET", "/things/1", respond(404, {"detail": "Not Found"})
        )

    def test_no_content_must_be_empty(self) -> None:
        assert_matches_openapi(DOCUMENT, "PUT", "/things/1", respond(204))
        assert "documented without a body, but sent 2 bytes" in failure(
            "PUT", "/things/1", respond(204, content=b"{}")
        )

    def test_a_body_that_is_not_json_fails(self) -> None:
        response = respond(200, content=b"{", headers={"content-type": "application/json"})
        assert "not JSON" in failure("GET", "/things/1", response)

    def test_an_undocumented_content_type_fails(self) -> None:
        response = respond(200, content=b"<p>", headers={"content-type": "text/html"})
        assert "content-type text/html; documented: application/json" in failure(
            "GET", "/things/1", response
        )

    def test_an_undocumented_operation_fails(self) -> None:
        with pytest.raises(UndocumentedOperation):
            assert_matches_openapi(DOCUMENT, "GET", "/nothing", respond(404, {"error": "x"}))

    def test_the_callers_document_is_not_modified(self) -> None:
        assert_matches_openapi(DOCUMENT, "GET", "/things/1", respond(200, {"id": 1, "name": "x"}))
        assert "additionalProperties" not in DOCUMENT["components"]["schemas"]["Thing"]
        assert DOCUMENT["components"]["schemas"]["Thing"] == THING

    def test_compiled_validators_are_reused(self) -> None:
        from tests import openapi_validator

        assert_matches_openapi(DOCUMENT, "GET", "/things/1", respond(200, {"id": 1, "name": "x"}))
        compiled = openapi_validator._cache[id(DOCUMENT)]
        validator = compiled.validators[("GET", "/things/{id}", "200")]
        assert_matches_openapi(DOCUMENT, "GET", "/things/2", respond(200, {"id": 2, "name": "y"}))
        assert openapi_validator._cache[id(DOCUMENT)] is compiled
        assert compiled.validators[("GET", "/things/{id}", "200")] is validator

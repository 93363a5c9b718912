"""Check an HTTP response against the operation our own OpenAPI document describes.

``assert_matches_openapi(openapi, method, path, response)`` finds the operation whose path template
matches ``path`` (a concrete path such as ``/api/public/v1/users/42?provider=SSO``), picks the
response documented for the status code (exact code, then ``4XX``-style range, then ``default``)
and validates the JSON body against its schema with ``jsonschema``. OpenAPI 3.1 schemas are JSON
Schema 2020-12, so ``#/components/schemas/...`` references resolve against the document itself.

Two checks go beyond plain JSON Schema, because a response model only documents the wire here
(handlers build their own responses, so the two can drift apart):

* objects with ``properties`` are closed: a key the schema does not name is a mismatch. Objects
  without ``properties`` (``{"type": "object"}``) stay open;
* a response documented without content (every 204) must have an empty body.

A path and method no operation matches raise ``UndocumentedOperation``, an ``AssertionError``
that a caller probing unknown routes on purpose can catch. Documents are treated as immutable
(FastAPI caches its own): each is compiled on first use, and each operation and status gets one
compiled validator, so checking every response of the suite costs little.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = ["UndocumentedOperation", "assert_matches_openapi", "find_operation"]

_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
_DOCUMENT_URI = "urn:syllabus:openapi"
_EMPTY_STATUSES = frozenset({204, 304})


class UndocumentedOperation(AssertionError):
    """The method and path match no operation in the document."""


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]


@dataclass(slots=True)
class _Route:
    template: str
    pattern: re.Pattern[str]
    literal_segments: int
    operations: dict[str, dict[str, Any]]


@dataclass(slots=True)
class _Compiled:
    # The caller's document, held so that its id() is never reused while it is cached.
    source: dict[str, Any]
    # A copy with closed objects: what responses are validated against.
    document: dict[str, Any]
    routes_by_length: dict[int, list[_Route]]
    registry: Registry[Any]
    validators: dict[tuple[str, str, str], Draft202012Validator | None] = field(
        default_factory=dict
    )


_cache: dict[int, _Compiled] = {}


def _escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _route(template: str, operations: dict[str, Any]) -> _Route:
    parts = []
    literal = 0
    for segment in template.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            # FastAPI's ``{name:path}`` converter spans segments.
            parts.append(".+" if segment.endswith(":path}") else "[^/]+")
        else:
            parts.append(re.escape(segment))
            literal += 1
    return _Route(
        template=template,
        pattern=re.compile("/" + "/".join(parts)),
        literal_segments=literal,
        operations={m: op for m, op in operations.items() if m in _METHODS},
    )


# Keywords whose value is one subschema, a list of them, or a map of name to subschema.
_ONE_SCHEMA = frozenset(
    {
        "items",
        "not",
        "additionalProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "contentSchema",
    }
)
_SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAP = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
# Keywords that only annotate: dropping them changes no verdict and saves work on every call.
_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly"}
)


def _prepare(schema: Any, *, closable: bool = True) -> Any:
    """A copy of ``schema`` that is stricter where it should be and quicker to check.

    * An object schema that names its ``properties`` is closed (``additionalProperties: false``),
      unless it is a member of an ``allOf``, where closing it would reject its siblings' keys.
    * ``anyOf: [{type: X}, {type: null}]`` becomes ``type: [X, null]``: the same meaning, but one
      keyword check instead of a descent into every branch.
    * Annotations are dropped.
    """
    if not isinstance(schema, dict):
        return schema
    prepared: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key in _ONE_SCHEMA:
            prepared[key] = _prepare(value)
        elif key in _SCHEMA_LIST and isinstance(value, list):
            prepared[key] = [_prepare(v, closable=key != "allOf") for v in value]
        elif key in _SCHEMA_MAP and isinstance(value, dict):
            prepared[key] = {name: _prepare(v) for name, v in value.items()}
        else:
            prepared[key] = value
    if (
        closable
        and isinstance(prepared.get("properties"), dict)
        and not {"additionalProperties", "unevaluatedProperties", "patternProperties"}
        & set(prepared)
    ):
        prepared["additionalProperties"] = False
    branches = prepared.get("anyOf")
    if (
        "type" not in prepared
        and isinstance(branches, list)
        and branches
        and all(isinstance(b, dict) and set(b) == {"type"} for b in branches)
    ):
        types: list[str] = []
        for branch in branches:
            kinds = branch["type"] if isinstance(branch["type"], list) else [branch["type"]]
            types.extend(kind for kind in kinds if kind not in types)
        del prepared["anyOf"]
        prepared["type"] = types
    return prepared


def _refs_in_all_of(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for member in node.get("allOf", []):
            if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                found.add(member["$ref"])
        for value in node.values():
            _refs_in_all_of(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs_in_all_of(value, found)


def _response(openapi: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    reference = response.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/components/responses/"):
        name = reference.removeprefix("#/components/responses/")
        return dict(openapi.get("components", {}).get("responses", {}).get(name, {}))
    return response


def _compile_document(openapi: dict[str, Any]) -> _Compiled:
    # Only the parts validation reads: component schemas and each response's content.
    in_all_of: set[str] = set()
    _refs_in_all_of(openapi, in_all_of)
    schemas = {
        name: _prepare(schema, closable=f"#/components/schemas/{name}" not in in_all_of)
        for name, schema in openapi.get("components", {}).get("schemas", {}).items()
    }
    paths: dict[str, Any] = {}
    for template, operations in openapi.get("paths", {}).items():
        paths[template] = {
            method: {
                "responses": {
                    str(status): {
                        "content": {
                            media: {"schema": _prepare(body["schema"])}
                            for media, body in (
                                _response(openapi, response).get("content") or {}
                            ).items()
                            if isinstance(body, dict) and "schema" in body
                        }
                    }
                    for status, response in operation.get("responses", {}).items()
                }
            }
            for method, operation in operations.items()
            if method in _METHODS
        }
    document = {"paths": paths, "components": {"schemas": schemas}}

    routes_by_length: dict[int, list[_Route]] = {}
    for template, operations in openapi.get("paths", {}).items():
        route = _route(template, operations)
        length = len(template.strip("/").split("/"))
        if ":path}" in template:
            length = -1  # spans segments: checked against every path
        routes_by_length.setdefault(length, []).append(route)
    for routes in routes_by_length.values():
        # A literal segment beats a parameter (``/coupons/bulk_create`` before ``/coupons/{id}``).
        routes.sort(key=lambda r: -r.literal_segments)

    resource = DRAFT202012.create_resource(document)
    registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
    return _Compiled(openapi, document, routes_by_length, registry)


def _compiled(openapi: dict[str, Any]) -> _Compiled:
    compiled = _cache.get(id(openapi))
    if compiled is None or compiled.source is not openapi:
        compiled = _cache[id(openapi)] = _compile_document(openapi)
    return compiled


def _strip(path: str) -> str:
    path = httpx.URL(path).path if "://" in path else path
    return path.split("?", 1)[0].split("#", 1)[0] or "/"


def find_operation(openapi: dict[str, Any], method: str, path: str) -> Operation:
    """The operation ``method path`` reaches; ``UndocumentedOperation`` if there is none."""
    compiled = _compiled(openapi)
    concrete = _strip(path)
    length = len(concrete.strip("/").split("/"))
    candidates = compiled.routes_by_length.get(length, []) + compiled.routes_by_length.get(-1, [])
    matched: list[str] = []
    for route in candidates:
        if route.pattern.fullmatch(concrete):
            matched.append(route.template)
            spec = route.operations.get(method.lower())
            if spec is not None:
                return Operation(method.upper(), route.template, spec)
    if matched:
        raise UndocumentedOperation(
            f"{method.upper()} {concrete}: {', '.join(matched)} documents no {method.upper()} "
            f"operation (documented: {_methods_of(compiled, matched)})"
        )
    raise UndocumentedOperation(
        f"{method.upper()} {concrete}: no path template in the OpenAPI document matches"
    )


def _methods_of(compiled: _Compiled, templates: list[str]) -> str:
    methods = sorted(
        {
            method.upper()
            for routes in compiled.routes_by_length.values()
            for route in routes
            if route.template in templates
            for method in route.operations
        }
    )
    return ", ".join(methods) or "none"


def _documented_status(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def _validator(
    compiled: _Compiled, operation: Operation, status_key: str
) -> Draft202012Validator | None:
    cache_key = (operation.method, operation.template, status_key)
    if cache_key in compiled.validators:
        return compiled.validators[cache_key]
    response = compiled.document["paths"][operation.template][operation.method.lower()][
        "responses"
    ][status_key]
    validator = None
    media = response.get("content", {}).get("application/json")
    if media is not None and "schema" in media:
        pointer = "/".join(
            _escape_pointer(token)
            for token in (
                "paths",
                operation.template,
                operation.method.lower(),
                "responses",
                status_key,
                "content",
                "application/json",
                "schema",
            )
        )
        validator = Draft202012Validator(
            {"$ref": f"{_DOCUMENT_URI}#/{pointer}"},
            registry=compiled.registry,
            format_checker=FormatChecker(),
        )
    compiled.validators[cache_key] = validator
    return validator


def _excerpt(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def assert_matches_openapi(
    openapi: dict[str, Any], method: str, path: str, response: httpx.Response
) -> None:
    """Raise ``AssertionError`` unless ``response`` is what the document promises for the call."""
    compiled = _compiled(openapi)
    operation = find_operation(openapi, method, path)
    where = f"{operation.method} {_strip(path)} (operation {operation.template})"
    status = response.status_code
    responses = {
        str(key): _response(openapi, value)
        for key, value in operation.spec.get("responses", {}).items()
    }
    status_key = _documented_status(responses, status)
    if status_key is None:
        raise AssertionError(
            f"{where} answered {status}, which is not documented "
            f"(documented: {', '.join(sorted(responses)) or 'none'}). "
            f"Body: {_excerpt(response.text)}"
        )
    documented = responses[status_key]
    content = documented.get("content") or {}
    if status in _EMPTY_STATUSES or not content:
        if response.content:
            raise AssertionError(
                f"{where} answered {status}, documented without a body, "
                f"but sent {len(response.content)} bytes: {_excerpt(response.text)}"
            )
        return

    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in content:
        raise AssertionError(
            f"{where} answered {status} with content-type {media_type or '(none)'}; "
            f"documented: {', '.join(sorted(content))}"
        )
    if media_type != "application/json":
        return
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise AssertionError(
            f"{where} answered {status} with a body that is not JSON ({error}): "
            f"{_excerpt(response.text)}"
        ) from None
    validator = _validator(compiled, operation, status_key)
    if validator is None:
        return
    errors = sorted(validator.iter_errors(body), key=lambda e: (list(e.absolute_path), e.message))
    if errors:
        lines = [f"  at {error.json_path}: {_excerpt(error.message, 200)}" for error in errors[:8]]
        if len(errors) > 8:
            lines.append(f"  ... and {len(errors) - 8} more")
        raise AssertionError(
            f"{where} answered {status} with a body that does not match the documented "
            f"response '{status_key}':\n" + "\n".join(lines) + f"\nBody: {_excerpt(response.text)}"
        )

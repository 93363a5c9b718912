"""Tenant isolation, proved operation by operation: one site can neither see nor change another's.

Two sites are built alike, A and B, with a record of every kind an operation can address (users,
courses, chapters, contents, enrollments, bundles, categories, coupons, promotions, products,
orders, external orders, groups, analysts, instructors, reviews, profile fields, site scripts,
publish requests, webhooks, events). Then, with B's credentials, every operation under
/api/public/v1 and /api/v2 that takes an id or a filter is sent every one of A's values of the
kind each of its slots names: every path parameter, every query parameter (in the query string,
and again in the body, which Rails merges into the parameters) and every ``*_id`` or ``*_ids``
field of its request body. The other slots hold B's own values, so that only A's value can make
the request fail; one probe more puts A's values in every slot at once.

Every answer must be a 404, a 422, or (a read) an empty list, and exactly the answer B gets
for a value that exists nowhere: A's ids are indistinguishable from ids that do not exist. No
answer to B ever carries one of A's ids, emails, codes or names. After each operation, every
row of A (every table with a ``site_id``, and the link tables through their foreign keys) is as
it was before any probe. A last test sends each operation's base request on a third site with
that site's own values and checks that it succeeds: the probes are well-formed requests that
reach real records, so their 404s and 422s are the other site's value and nothing else.

The operations, their parameters and their body fields are read from our served OpenAPI, so a
new endpoint is probed by itself; one whose id the mapping below cannot name, a new query
parameter or body id field, or a write without a base body, fails
``test_every_operation_is_classified`` until this module learns it.

Each slot gets A's values of its own kind; with ``ISOLATION_EVERY_ID=1`` every integer id of
A is tried in every id slot, whatever its kind (slower: a course's id as a user's, and so on).

``PROBES`` counts the probes sent per operation, ``CONTROLS`` the requests with a value that
exists nowhere; the totals are written on the terminal when the module's tests end.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, or_, select

from syllabus.db import Database
from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX
from syllabus.models import (
    ROLES,
    Base,
    Bundle,
    Chapter,
    Collection,
    Content,
    Coupon,
    Course,
    CourseReview,
    CustomProfileField,
    CustomProfileFieldDefinition,
    Enrollment,
    Event,
    ExternalOrder,
    Group,
    Instructor,
    Order,
    Product,
    ProductPublishRequest,
    Promotion,
    SiteScript,
    User,
    Webhook,
)
from tests.contract.harness import SERVED
from tests.factories import (
    make_bundle,
    make_chapter,
    make_content,
    make_course,
    make_order,
    make_product,
    make_profile_field_definition,
    make_publish_request,
    relate_products,
)
from tests.support import SiteClient, new_site

METHODS = ("get", "post", "put", "patch", "delete")
SITE_APIS = (ADMIN_PREFIX + "/", V2_PREFIX + "/")
NO_SUCH_ID = 987_654_321
ADMIN = {"Authorization": "Bearer test-admin-token"}

# -- What each slot names ---------------------------------------------------------------------

# Ids: integers, but for site scripts (a ULID), webhooks and events (23 digits).
ID_KINDS: dict[str, type[Any]] = {
    "user": User,
    "course": Course,
    "chapter": Chapter,
    "content": Content,
    "enrollment": Enrollment,
    "bundle": Bundle,
    "collection": Collection,
    "coupon": Coupon,
    "promotion": Promotion,
    "product": Product,
    "order": Order,
    "external_order": ExternalOrder,
    "group": Group,
    "instructor": Instructor,
    "course_review": CourseReview,
    "custom_profile_field_definition": CustomProfileFieldDefinition,
    "product_publish_request": ProductPublishRequest,
    "site_script": SiteScript,
    "webhook": Webhook,
    "event": Event,
}
# The record a path segment's ``{id}`` (or a list of that name) is: ``/courses/{id}`` a course.
SEGMENT_KINDS = {
    "users": "user",
    "courses": "course",
    "chapters": "chapter",
    "contents": "content",
    "enrollments": "enrollment",
    "bundles": "bundle",
    "collections": "collection",
    "collection_memberships": "collection",
    "coupons": "coupon",
    "promotions": "promotion",
    "products": "product",
    "related": "product",
    "orders": "order",
    "external_orders": "external_order",
    "groups": "group",
    "analysts": "user",
    "instructors": "instructor",
    "course_reviews": "course_review",
    "custom_profile_field_definitions": "custom_profile_field_definition",
    "product_publish_requests": "product_publish_request",
    "site_scripts": "site_script",
    "webhooks": "webhook",
    "events": "event",
}
# Values that identify one site's records without being ids.
VALUE_KINDS = (
    "user_email",
    "external_id:SSO",
    "external_id:OPENID_CONNECT",
    "external_source",
    "profile_field_label",
    "profile_field_value",
    "coupon_code",
    "group_name",
)
# Values that say nothing of whose a record is: B's answer may list B's own records.
DESCRIPTIVE: dict[str, list[str]] = {
    "boolean": ["true", "false"],
    "date": ["2000-01-01", datetime.now(UTC).date().isoformat()],
    "role": list(ROLES),
    "provider": ["SSO", "OPENID_CONNECT"],
}
# A value of each identifying kind that no site has.
NOWHERE: dict[str, Any] = {
    **dict.fromkeys(ID_KINDS, NO_SUCH_ID),
    "site_script": "01ARZ3NDEKTSV4RRFFQ69G5FAV",
    "webhook": "20240222203252987654321",
    "event": "20240222203252987654321",
    "user_email": "nobody@nowhere.invalid",
    "external_id:SSO": "no-such-external-id",
    "external_id:OPENID_CONNECT": "no-such-external-id",
    "external_source": "no-such-source",
    "profile_field_label": "No such label",
    "profile_field_value": "No such value",
    "coupon_code": "NOSUCHCODE",
    "group_name": "No such group",
}
# Query parameters by name (``query[...]`` unwrapped); ``*_id`` ones are ids of their kind.
QUERY_KINDS = {
    "email": "user_email",
    "role": "role",
    "external_source": "external_source",
    "custom_profile_field_label": "profile_field_label",
    "custom_profile_field_value": "profile_field_value",
    "coupon_code": "coupon_code",
    "approved": "boolean",
    "free_trial": "boolean",
    "full": "boolean",
    "completed": "boolean",
    "expired": "boolean",
}
DATE_FILTER = re.compile(r"^(created|updated)_(on|before|after|on_or_before|on_or_after)$")
PAGING = {"page", "limit", "next"}
# Body fields that name records without an ``_id`` suffix.
BODY_NAME_KINDS = {"group_names": "group_name"}
# ``*_id`` body fields that refer to nothing on the site: a user's id in another system.
NOT_REFERENCES = {"external_id"}


class Unmapped(Exception):
    """An operation takes something this module cannot name: teach it the new parameter."""


def id_kind(name: str) -> str:
    """The kind of a ``user_id``/``product_ids``-like name."""
    stem = re.sub(r"_ids?$", "", name)
    if stem == name or stem not in ID_KINDS:
        raise Unmapped(name)
    return stem


def kind_in(key: str) -> str | None:
    """The kind of a response key (``responding_user_id`` a user, ``id`` none), if any."""
    stem = re.sub(r"_ids?$", "", key)
    if stem == key:
        return None
    known = [kind for kind in ID_KINDS if stem == kind or stem.endswith("_" + kind)]
    return max(known, key=len) if known else None


@dataclass(frozen=True)
class Slot:
    """One place an operation takes a value: ``where`` (path, query, body), ``name`` (a body
    field's dotted path), the ``kind`` of value, and the query that goes with it (a path id
    addressed by external id comes with its ``provider``)."""

    where: str
    name: str
    kind: str
    many: bool = False
    required: bool = True
    query: tuple[tuple[str, str], ...] = ()

    @property
    def identifying(self) -> bool:
        return self.kind not in DESCRIPTIVE

    @property
    def alternate(self) -> bool:
        return bool(self.query)

    def __str__(self) -> str:
        extra = "".join(f"&{k}={v}" for k, v in self.query)
        return f"{self.where}:{self.name}{extra}"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any] = field(hash=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.method} {self.template.removeprefix(ADMIN_PREFIX)}"

    @property
    def resource(self) -> str | None:
        """The kind of record the answer is (or lists): its last path segment's."""
        segments = [s for s in self.template.split("/") if s and not s.startswith("{")]
        return SEGMENT_KINDS.get(segments[-1])


OPERATIONS = sorted(
    (
        Operation(method.upper(), template, spec)
        for template, operations in SERVED["paths"].items()
        if template.startswith(SITE_APIS)
        for method, spec in operations.items()
        if method in METHODS
    ),
    key=lambda o: o.label,
)


def schema_of(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref`` followed and a nullable ``anyOf`` unwrapped."""
    if "$ref" in schema:
        return schema_of(SERVED["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    return schema_of(options[0]) if len(options) == 1 else schema


def _body_slots(schema: dict[str, Any], prefix: str = "") -> Iterator[Slot]:
    schema = schema_of(schema)
    for name, property_ in schema.get("properties", {}).items():
        property_ = schema_of(property_)
        path = prefix + name
        if name in NOT_REFERENCES:
            continue
        if name in BODY_NAME_KINDS:
            yield Slot("body", path, BODY_NAME_KINDS[name], many=True)
        elif name.endswith("_ids"):
            yield Slot("body", path, id_kind(name), many=True)
        elif name.endswith("_id"):
            yield Slot("body", path, id_kind(name))
        elif property_.get("type") == "array" and schema_of(property_["items"]).get("properties"):
            yield from _body_slots(property_["items"], f"{path}.0.")
        elif property_.get("properties"):
            yield from _body_slots(property_, f"{path}.")


def slots_of(operation: Operation) -> list[Slot]:
    """Every place ``operation`` takes an id or a filter; ``Unmapped`` for one not understood."""
    slots: list[Slot] = []
    segments = operation.template.split("/")
    parameters = operation.spec.get("parameters", [])
    for parameter in parameters:
        name = parameter["name"]
        if parameter["in"] == "path":
            if name == "provider":
                slots.append(Slot("path", name, "provider"))
            elif name == "id":
                before = segments[segments.index("{id}") - 1]
                if before not in SEGMENT_KINDS:
                    raise Unmapped(f"{operation.label}: {{id}} after /{before}")
                slots.append(Slot("path", name, SEGMENT_KINDS[before]))
            else:
                slots.append(Slot("path", name, id_kind(name)))
        elif parameter["in"] == "query" and name not in PAGING:
            bare = re.sub(r"^query\[(.*)\]$", r"\1", name)
            if name == "provider":
                # The path id is then an external id: A's are tried under each provider.
                for provider in DESCRIPTIVE["provider"]:
                    slots.append(
                        Slot(
                            "path", "id", f"external_id:{provider}", query=(("provider", provider),)
                        )
                    )
                continue
            if DATE_FILTER.match(bare):
                kind = "date"
            elif bare in QUERY_KINDS:
                kind = QUERY_KINDS[bare]
            elif bare.endswith("_id"):
                kind = id_kind(bare)
            else:
                raise Unmapped(f"{operation.label}: query parameter {name}")
            slots.append(Slot("query", name, kind, required=bool(parameter.get("required"))))
    if "requestBody" in operation.spec:
        content = operation.spec["requestBody"]["content"]
        if "application/json" not in content:
            raise Unmapped(f"{operation.label}: a body of {sorted(content)}")
        slots.extend(_body_slots(content["application/json"]["schema"]))
    return slots


# -- The request each probe starts from -------------------------------------------------------

_unique = itertools.count(1)
SCRIPT = {
    "src": "https://your-site.com/site-script.js",
    "name": "Tracker",
    "description": "Tracks visits",
    "page_scopes": ["landing_pages"],
    "location": "footer",
    "load_method": "async",
    "category": "marketing",
}
REVIEW = {"rating": 4, "title": "My Review", "review_text": "It was great!", "approved": True}
SALE = {"name": "Spring sale", "discount_type": "percentage", "amount": 10}
USD = {"amount": 10000, "currency": "USD", "reference": "123abc"}
WEBHOOK = {"topic": "order.created", "target_url": "https://receiver.example.com/hooks"}


def _person(n: int) -> dict[str, Any]:
    return {"first_name": "Pro", "last_name": f"Be{n}", "email": f"probe{n}@example.com"}


# A valid body of every write that takes an id, its id fields left out (the slots fill them).
BODIES: dict[str, Callable[[int], dict[str, Any]]] = {
    "POST /users": _person,
    "PUT /users/{id}": lambda n: {"first_name": f"Renamed{n}"},
    "POST /enrollments": lambda n: {},
    "PUT /enrollments/{id}": lambda n: {"expiry_date": "2030-01-01T00:00:00Z"},
    "POST /bundles/{id}/enrollments": lambda n: {},
    "PUT /bundles/{id}/enrollments": lambda n: {"expiry_date": "2030-01-01T00:00:00Z"},
    "PUT /collections/{id}": lambda n: {"name": f"Renamed {n}"},
    "POST /collection_memberships/{id}": lambda n: {},
    "DELETE /collection_memberships/{id}": lambda n: {},
    "POST /coupons": lambda n: {"code": f"PROBE{n}"},
    "POST /coupons/bulk_create": lambda n: {"bulk_quantity": 1, "bulk_coupon_code_length": 8},
    "PUT /coupons/{id}": lambda n: {"code": f"PROBE{n}"},
    "POST /course_reviews": lambda n: dict(REVIEW),
    "POST /external_orders": lambda n: {
        "payment_provider": "ExternalProvider",
        "order_type": "one-time",
        "transaction": USD,
    },
    "POST /external_orders/{id}/transactions/purchase": lambda n: dict(USD),
    "POST /external_orders/{id}/transactions/refund": lambda n: {**USD, "amount": 1},
    "POST /group_analysts/{user_id}/groups": lambda n: {},
    "POST /group_users": lambda n: {},
    "POST /groups/{group_id}/analysts": lambda n: {},
    "POST /instructors": lambda n: {"first_name": "Ina", "last_name": f"Probe{n}"},
    "PUT /instructors/{id}": lambda n: {"title": f"Dr {n}"},
    "POST /product_publish_requests/{id}/approve": lambda n: {"response_text": "Yes"},
    "POST /product_publish_requests/{id}/deny": lambda n: {"response_text": "No"},
    "POST /promotions": lambda n: dict(SALE),
    "PUT /promotions/{id}": lambda n: {"name": f"Renamed {n}"},
    "PUT /site_scripts/{id}": lambda n: {**SCRIPT, "name": f"Renamed {n}"},
    "PUT /api/v2/webhooks/{id}": lambda n: dict(WEBHOOK),
}


# -- The sites --------------------------------------------------------------------------------


@dataclass
class World:
    """A site with a record of every kind: ``main`` is the value of each kind that fills a slot
    when the site is the one asking; ``values()`` are all of the site's values, read back."""

    site: SiteClient
    main: dict[str, Any]

    def values(self) -> dict[str, list[Any]]:
        return self.site.db(lambda session: _values(session, self.site.id))


def _values(session: Any, site_id: int) -> dict[str, list[Any]]:
    """Every id and identifying value of the site, by kind, from the database."""
    values: dict[str, list[Any]] = {}
    for kind, model in ID_KINDS.items():
        rows = session.scalars(select(model).where(model.site_id == site_id).order_by(model.id))
        rows = list(rows)
        ids: list[Any] = [row.id for row in rows]
        if model is SiteScript:
            ids = [row.script_id for row in rows] + ids  # the public id, and the row's too
        elif model in (Webhook, Event):
            ids = [Event.public_id_of(row.created_at, row.id) for row in rows]
        values[kind] = ids
    users = list(session.scalars(select(User).where(User.site_id == site_id)))
    values["user_email"] = [user.email for user in users]
    values["external_source"] = [u.external_source for u in users if u.external_source]
    for provider in DESCRIPTIVE["provider"]:
        values[f"external_id:{provider}"] = [
            user.external_id for user in users if user.provider == provider and user.external_id
        ]
    definitions = select(CustomProfileFieldDefinition).where(
        CustomProfileFieldDefinition.site_id == site_id
    )
    values["profile_field_label"] = [d.label for d in session.scalars(definitions)]
    fields = select(CustomProfileField).where(CustomProfileField.site_id == site_id)
    values["profile_field_value"] = [f.value for f in session.scalars(fields) if f.value]
    coupons = select(Coupon.code).where(Coupon.site_id == site_id)
    values["coupon_code"] = list(session.scalars(coupons))
    values["group_name"] = list(session.scalars(select(Group.name).where(Group.site_id == site_id)))
    return values


def _created(site: SiteClient, path: str, body: dict[str, Any]) -> Any:
    """POST ``body`` to ``path`` as ``site``: the new record's id, if the answer has one."""
    url = path if path.startswith(V2_PREFIX) else ADMIN_PREFIX + path
    response = site.http.post(url, json=body, headers=site.headers)
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    if not response.content:
        return None
    body = response.json()
    if "id" not in body and len(body) == 1:  # an envelope: {"group": {...}}
        (body,) = body.values()
    return body["id"]


def build(site: SiteClient) -> World:
    """A record of every kind on ``site``: through its own API where there is a create, with
    the factories where there is none."""
    tag = site.subdomain
    definition = make_profile_field_definition(site, label=f"Label {tag}")
    user = _created(
        site,
        "/users",
        {
            "first_name": "Main",
            "last_name": tag,
            "email": f"main-{tag}@example.com",
            "roles": list(ROLES),
            "provider": "SSO",
            "external_id": f"sso-{tag}",
            "external_source": f"source-{tag}",
            "custom_profile_fields": [
                {"custom_profile_field_definition_id": definition, "value": f"value-{tag}"}
            ],
        },
    )
    learner = _created(
        site,
        "/users",
        {
            "first_name": "Learner",
            "last_name": tag,
            "email": f"learner-{tag}@example.com",
            "provider": "OPENID_CONNECT",
            "external_id": f"oidc-{tag}",
        },
    )
    course = make_course(site)
    chapter = make_chapter(site, course)
    content = make_content(site, chapter, course)
    bundle = make_bundle(site, [course])
    product = make_product(site)
    course_product = site.db(lambda s: s.scalar(select(Course.product_id).filter_by(id=course)))
    assert course_product is not None
    relate_products(site, course_product, product)
    enrollment = _created(site, "/enrollments", {"user_id": learner, "course_id": course})
    group_name = f"Group {tag}"
    group = _created(site, "/groups", {"name": group_name})
    _created(site, "/group_users", {"user_id": learner, "group_names": [group_name]})
    _created(site, f"/groups/{group}/analysts", {"user_ids": [user]})
    collection = _created(
        site,
        "/collections",
        {"name": f"Category {tag}", "description": "Probed", "slug": f"c-{tag}"},
    )
    _created(site, f"/collection_memberships/{collection}", {"product_ids": [product]})
    promotion = _created(site, "/promotions", {**SALE, "product_ids": [product]})
    coupon = _created(site, f"/coupons?promotion_id={promotion}", {"code": f"CODE-{tag}"})
    instructor = _created(
        site, "/instructors", {"first_name": "Ina", "last_name": tag, "user_id": user}
    )
    review = _created(site, f"/course_reviews?course_id={course}", {**REVIEW, "user_id": learner})
    external_order = _created(
        site,
        "/external_orders",
        {**BODIES["POST /external_orders"](0), "user_id": learner, "product_id": product},
    )
    order = make_order(site, learner, product)
    publish_request = make_publish_request(site, make_product(site, status="draft"))
    script = _created(site, "/site_scripts", SCRIPT)
    webhook = _created(site, V2_PREFIX + "/webhooks", WEBHOOK)
    events = site.db(
        lambda s: [
            Event.public_id_of(e.created_at, e.id)
            for e in s.scalars(select(Event).where(Event.site_id == site.id).order_by(Event.id))
        ]
    )
    main = {
        "user": user,
        "learner": learner,
        "course": course,
        "chapter": chapter,
        "content": content,
        "enrollment": enrollment,
        "bundle": bundle,
        "collection": collection,
        "coupon": coupon,
        "promotion": promotion,
        "product": product,
        "order": order,
        "external_order": external_order,
        "group": group,
        "instructor": instructor,
        "course_review": review,
        "custom_profile_field_definition": definition,
        "product_publish_request": publish_request,
        "site_script": script,
        "webhook": webhook,
        "event": events[0],
        "user_email": f"main-{tag}@example.com",
        "external_id:SSO": f"sso-{tag}",
        "external_id:OPENID_CONNECT": f"oidc-{tag}",
        "external_source": f"source-{tag}",
        "profile_field_label": f"Label {tag}",
        "profile_field_value": f"value-{tag}",
        "coupon_code": f"CODE-{tag}",
        "group_name": group_name,
        **{kind: values[0] for kind, values in DESCRIPTIVE.items()},
    }
    return World(site, main)


# -- A's rows ---------------------------------------------------------------------------------


def snapshot(site: SiteClient) -> dict[str, list[str]]:
    """Every row of the site: those of each table with a ``site_id``, the site's own, and the
    rows of the link tables that point at one of the site's records. The request journal is
    written in the background: the control plane's read of it writes what is pending first."""
    flushed = site.http.get(f"/_syllabus/sites/{site.subdomain}/requests", headers=ADMIN)
    assert flushed.status_code == 200, flushed.text
    site_id = site.id

    def read(session: Any) -> dict[str, list[str]]:
        rows: dict[str, list[str]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name == "sites":
                condition = table.c.id == site_id
            elif "site_id" in table.c:
                condition = table.c.site_id == site_id
            elif not table.foreign_keys:
                continue  # the server's own (its secrets): no site's
            else:
                condition = or_(
                    *(
                        key.parent.in_(
                            select(key.column).where(_site_column(key.column.table) == site_id)
                        )
                        for key in table.foreign_keys
                    )
                )
            found = session.execute(select(table).where(condition)).all()
            rows[table.name] = sorted(repr(tuple(row)) for row in found)
        return rows

    return site.db(read)


def _site_column(table: Any) -> Any:
    assert isinstance(table, Table), table
    assert "site_id" in table.c, table.name
    return table.c.site_id


# -- Probing ----------------------------------------------------------------------------------

PROBES: Counter[str] = Counter()
CONTROLS: Counter[str] = Counter()


@dataclass
class Probe:
    """One request: ``values`` by slot, and what of A (``tried``) it carries."""

    values: dict[Slot, Any]
    tried: dict[Slot, Any]

    def describe(self) -> str:
        return ", ".join(f"{slot}={value!r}" for slot, value in self.tried.items()) or "-"


def _assign(body: dict[str, Any], dotted: str, value: Any) -> None:
    node: Any = body
    parts: list[Any] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    for part, following in itertools.pairwise(parts):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(empty)
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    node[parts[-1]] = value


def _nested(name: str, value: Any) -> dict[str, Any]:
    """``query[user_id]`` as Rails nests it in a body: ``{"query": {"user_id": value}}``."""
    head, _, rest = name.partition("[")
    if not rest:
        return {name: value}
    return {head: {rest.rstrip("]"): value}}


def send(
    operation: Operation, site: SiteClient, probe: Probe, *, query_in_body: bool = False
) -> httpx.Response:
    path: dict[str, Any] = {}
    query: dict[str, Any] = {}
    body: dict[str, Any] | None = None
    if operation.label in BODIES:
        body = BODIES[operation.label](next(_unique))
    for slot, value in probe.values.items():
        query.update(slot.query)
        sent = [value] if slot.many else value
        if slot.where == "path":
            path[slot.name] = value
        elif slot.where == "query":
            query[slot.name] = value
        else:
            body = body if body is not None else {}
            _assign(body, slot.name, sent)
    if query_in_body:
        body = body if body is not None else {}
        for name, value in query.items():
            for key, nested in _nested(name, value).items():
                if isinstance(nested, dict):
                    body.setdefault(key, {}).update(nested)
                else:
                    body[key] = nested
        query = {}
    url = operation.template.format(**{name: str(value) for name, value in path.items()})
    response: httpx.Response = site.http.request(
        operation.method, url, params=query, json=body, headers=site.headers
    )
    return response


# Where the asking site's main value of a kind is not the one a base request needs.
BASE_VALUES = {
    # Updates an enrollment in the bundle's courses: the learner's, not the main user's.
    "PUT /bundles/{id}/enrollments": {"user": "learner"},
}


def base(operation: Operation, main: dict[str, Any]) -> dict[Slot, Any]:
    """The request with the asking site's own values: every path and body slot, and the
    query's required ones."""
    chosen = BASE_VALUES.get(operation.label, {})
    return {
        slot: main[chosen.get(slot.kind, slot.kind)]
        for slot in slots_of(operation)
        if not slot.alternate and (slot.where != "query" or slot.required)
    }


def probes(operation: Operation, mine: dict[str, Any], theirs: dict[str, list[Any]]) -> list[Probe]:
    """Each of ``theirs`` in each slot, the others holding ``mine``; then all of theirs at once."""
    slots = slots_of(operation)
    start = base(operation, mine)
    found: list[Probe] = []
    for slot in slots:
        for value in theirs[slot.kind]:
            values = {
                s: v for s, v in start.items() if (s.where, s.name) != (slot.where, slot.name)
            }
            found.append(Probe({**values, slot: value}, {slot: value}))
    identifying = [slot for slot in slots if slot.identifying and not slot.alternate]
    if len(identifying) > 1:
        every = {slot: theirs[slot.kind][0] for slot in identifying}
        found.append(Probe({**start, **every}, every))
    if not slots:
        found.append(Probe(start, {}))
    return found


def _normalized(body: Any, values: list[Any]) -> Any:
    """``body`` with each of ``values`` written as ``<ID>`` in its strings (error messages quote
    the id they could not find)."""
    if isinstance(body, dict):
        return {key: _normalized(item, values) for key, item in body.items()}
    if isinstance(body, list):
        return [_normalized(item, values) for item in body]
    if isinstance(body, str):
        for value in values:
            body = re.sub(rf"(?<![\w-]){re.escape(str(value))}(?![\w-])", "<ID>", body)
    return body


def _json(response: httpx.Response) -> Any:
    return response.json() if response.content else None


def leaks(body: Any, resource: str | None, theirs: dict[str, list[Any]]) -> list[str]:
    """What of ``theirs`` the answer ``body`` shows: an id under a key that names its kind (an
    item's ``id`` is of the listed ``resource``, an enveloped record's of its key's), or an
    identifying string anywhere. Ids are only compared with ids of their own kind: a webhook's
    public id can be an event's, as a user's id can be a course's."""
    strings = {str(v) for kind in VALUE_KINDS for v in theirs[kind]}
    found: list[str] = []

    def visit(node: Any, item_kind: str | None) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                kind = item_kind if key == "id" else kind_in(key)
                if kind is not None:
                    shown = value if isinstance(value, list) else [value]
                    found.extend(
                        f"{key}={v}"
                        for v in shown
                        if not isinstance(v, (dict, list)) and v in theirs[kind]
                    )
                visit(value, resource if key == "items" else key if key in ID_KINDS else None)
        elif isinstance(node, list):
            for item in node:
                visit(item, item_kind)
        elif isinstance(node, str) and node in strings:
            found.append(repr(node))

    visit(body, resource)
    return found


# -- Fixtures ---------------------------------------------------------------------------------


@dataclass
class Pair:
    a: World
    b: World
    theirs: dict[str, list[Any]]
    before: dict[str, list[str]]


_sites = itertools.count(1)


def _new_world(http: TestClient, database: Database, letter: str) -> World:
    return build(new_site(http, database, f"iso{letter}{next(_sites)}x{id(http) % 10_000}"))


@pytest.fixture(scope="module")
def pair(http: TestClient, database: Database, request: pytest.FixtureRequest) -> Iterator[Pair]:
    a, b = _new_world(http, database, "a"), _new_world(http, database, "b")
    theirs = a.values()
    if os.environ.get("ISOLATION_EVERY_ID"):
        # Every integer id of A in every id slot, whatever its kind (B's own left out).
        mine = b.values()
        every = sorted({v for kind in ID_KINDS for v in theirs[kind] if isinstance(v, int)})
        for kind in ID_KINDS:
            others = [v for v in every if v not in mine[kind]]
            theirs[kind] = list(dict.fromkeys(theirs[kind] + others))
    theirs.update({kind: values for kind, values in DESCRIPTIVE.items()})
    yield Pair(a, b, theirs, snapshot(a.site))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if PROBES and reporter is not None:
        reporter.write_line(
            f"isolation: {len(PROBES)} operations, {sum(PROBES.values())} probes with the other "
            f"site's values, {sum(CONTROLS.values())} with values that exist nowhere"
        )


# -- The tests --------------------------------------------------------------------------------


def _probed(operation: Operation) -> bool:
    """A read, or an operation that takes an id or a filter (or one not understood, which then
    fails)."""
    try:
        return operation.method == "GET" or bool(slots_of(operation))
    except Unmapped:
        return True


PROBED = [operation for operation in OPERATIONS if _probed(operation)]


def test_every_operation_is_classified() -> None:
    """Every operation is understood: each path parameter, query parameter and body id field
    has a kind, and each probed write has a base body. A write left unprobed takes no id."""
    problems: list[str] = []
    for operation in OPERATIONS:
        try:
            slots = slots_of(operation)
        except Unmapped as error:
            problems.append(f"{operation.label}: unmapped {error}")
            continue
        path_names = set(re.findall(r"\{([^}]*)\}", operation.template))
        if path_names != {s.name for s in slots if s.where == "path"}:
            problems.append(f"{operation.label}: path parameters not all probed")
        if slots and "requestBody" in operation.spec and operation.label not in BODIES:
            problems.append(f"{operation.label}: no base body in BODIES")
    assert not problems, "\n".join(problems)
    assert not set(BODIES) - {o.label for o in OPERATIONS}, "BODIES names unknown operations"
    assert len(OPERATIONS) > 70
    assert {"GET /users/{id}", "DELETE /api/v2/webhooks/{id}", "POST /enrollments"} <= {
        o.label for o in PROBED
    }


@dataclass
class Judge:
    """Sends one operation's probes as B and says what is wrong with each answer."""

    operation: Operation
    pair: Pair
    problems: list[str] = field(default_factory=list)
    # The answer to a value that exists nowhere, by the slots it fills and the channel.
    nowhere: dict[tuple[frozenset[Slot], bool], tuple[int, Any, list[Any]]] = field(
        default_factory=dict
    )

    def probe(self, probe: Probe, query_in_body: bool) -> None:
        operation, b = self.operation, self.pair.b
        answer = send(operation, b.site, probe, query_in_body=query_in_body)
        PROBES[operation.label] += 1
        what = f"{probe.describe()}{' (query in body)' if query_in_body else ''}"
        status, body = answer.status_code, _json(answer)
        if status >= 500 or status in (401, 403):
            self.problems.append(f"{what}: {status} {answer.text}")
            return
        if 200 <= status < 300 and (shown := leaks(body, operation.resource, self.pair.theirs)):
            self.problems.append(f"{what}: {status} shows A's {shown}")
        identifying = {s: v for s, v in probe.tried.items() if s.identifying}
        if not identifying:
            return  # a descriptive filter on B's own records: B may list them
        empty_list = status == 200 and isinstance(body, dict) and body.get("items") == []
        if status not in (404, 422) and not (operation.method == "GET" and empty_list):
            self.problems.append(f"{what}: {status} {answer.text}")
            return
        expected_status, expected, nowhere = self._nowhere(probe, identifying, query_in_body)
        if (status, _normalized(body, list(identifying.values()))) != (
            expected_status,
            _normalized(expected, nowhere),
        ):
            self.problems.append(
                f"{what}: {status} {answer.text}, but for a value that exists nowhere "
                f"{expected_status} {expected}"
            )

    def _nowhere(
        self, probe: Probe, identifying: dict[Slot, Any], query_in_body: bool
    ) -> tuple[int, Any, list[Any]]:
        """The answer to ``probe`` with values that exist nowhere in its identifying slots."""
        key = (frozenset(identifying), query_in_body)
        if key not in self.nowhere:
            values = {slot: NOWHERE[slot.kind] for slot in identifying}
            control = Probe({**probe.values, **values}, values)
            answer = send(self.operation, self.pair.b.site, control, query_in_body=query_in_body)
            CONTROLS[self.operation.label] += 1
            self.nowhere[key] = (answer.status_code, _json(answer), list(values.values()))
        return self.nowhere[key]


@pytest.mark.parametrize("operation", PROBED, ids=[o.label for o in PROBED])
def test_another_sites_values_are_not_found(operation: Operation, pair: Pair) -> None:
    unfilled = {slot.kind for slot in slots_of(operation) if not pair.theirs[slot.kind]}
    assert not unfilled, f"build() makes no record of kind {unfilled} on A"
    judge = Judge(operation, pair)
    for probe in probes(operation, pair.b.main, pair.theirs):
        in_query = any(slot.where == "query" for slot in probe.tried)
        for query_in_body in (False, True) if in_query else (False,):
            judge.probe(probe, query_in_body)
    assert not judge.problems, f"{operation.label}:\n" + "\n".join(judge.problems)
    after = snapshot(pair.a.site)
    changed = sorted(table for table in after if after[table] != pair.before[table])
    assert not changed, f"{operation.label} changed A's {changed}"


def _live_order(operation: Operation) -> tuple[bool, int, str]:
    """Reads and writes first, then deletes, the deepest first (a link before its group)."""
    deleting = operation.method == "DELETE"
    return (deleting, -operation.template.count("/") if deleting else 0, operation.label)


def test_each_base_request_reaches_its_own_sites_records(
    http: TestClient, database: Database
) -> None:
    """The probes are meaningful: each operation's base request, sent by a third site with its
    own values, succeeds; only the other site's value makes a probe fail. One refused after
    an earlier request changed the site (deleted the link it deletes, approved the request it
    denies) is sent again on a site built afresh."""
    c = _new_world(http, database, "c")
    problems: list[str] = []
    for operation in sorted(PROBED, key=_live_order):
        answer = send(operation, c.site, Probe(base(operation, c.main), {}))
        if answer.status_code in (404, 422):
            c = _new_world(http, database, "c")
            answer = send(operation, c.site, Probe(base(operation, c.main), {}))
        if not 200 <= answer.status_code < 300:
            problems.append(f"{operation.label}: {answer.status_code} {answer.text}")
    assert not problems, "\n".join(problems)

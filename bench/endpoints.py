"""The endpoints the bench loads, by name (the keys of the tables, of the targets and of
``results.json``), and the read endpoints built from the ids found on a dataset."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

API = "/api/public/v1"

COURSES_BY_ID = "GET /courses/{id}"
COURSES_LIST = "GET /courses"
USERS_BY_ID = "GET /users/{id}"
USERS_BY_EMAIL = "GET /users?query[email]"
ENROLLMENTS_LIST = "GET /enrollments?query[course_id]&page=N"
USERS_CREATE = "POST /users"
USERS_CREATE_WRITES = "POST /users, 8 connections"
USERS_CREATE_DELIVERED = "POST /users, user.signup delivered"
USERS_CREATE_BY_WORKER = "POST /users, delivered by syllabus worker"
PRODUCTS_LIST = "GET /products"
BY_COUPON = "GET /promotions/by_coupon"
CHECKOUT = "POST /_syllabus/.../checkout"
JS_BY_ID = "json-server GET /users/1"
JS_LIST = "json-server GET /users?_page=2&_limit=25"
PRISM_BY_ID = "prism GET /users/1"
PRISM_LIST = "prism GET /enrollments"

# What every run reads, in this order: the main run (all of them), PostgreSQL (all of them) and
# the other worker counts (SCALING_READS).
READS = (COURSES_BY_ID, COURSES_LIST, USERS_BY_ID, USERS_BY_EMAIL, ENROLLMENTS_LIST)
SCALING_READS = (COURSES_BY_ID, USERS_BY_ID, ENROLLMENTS_LIST)
PAGE_SIZE = 25


@dataclass(frozen=True)
class Endpoint:
    """A GET to load with wrk, or why it cannot be (``reason``, with ``path`` None)."""

    name: str
    path: str | None
    reason: str = ""
    script: str = "get.lua"
    script_args: tuple[str, ...] = ()
    # Items the first answer must hold (a full page), noted when it does not.
    full_page: bool = False


def enrollments_prefix(course_id: int) -> str:
    return f"{API}/enrollments?query%5Bcourse_id%5D={course_id}&page="


def email_path(email: str) -> str:
    return f"{API}/users?query%5Bemail%5D={urllib.parse.quote(email, safe='')}"


def reads(ids: dict[str, Any], names: tuple[str, ...] = READS) -> list[Endpoint]:
    """The read endpoints ``names`` on the dataset whose ids ``discover`` found."""
    courses_missing = ids.get("courses_error") if "course_id" not in ids else None
    found: dict[str, Endpoint] = {
        COURSES_BY_ID: Endpoint(
            COURSES_BY_ID,
            None if courses_missing else f"{API}/courses/{ids['course_id']}",
            courses_missing or "",
        ),
        COURSES_LIST: Endpoint(
            COURSES_LIST,
            None if courses_missing else f"{API}/courses",
            courses_missing or "",
        ),
        USERS_BY_ID: Endpoint(USERS_BY_ID, f"{API}/users/{ids['user_id']}"),
        USERS_BY_EMAIL: Endpoint(USERS_BY_EMAIL, email_path(ids["email"])),
    }
    if "enrollments_pages" in ids:
        prefix = enrollments_prefix(ids["enrollments_course_id"])
        found[ENROLLMENTS_LIST] = Endpoint(
            ENROLLMENTS_LIST,
            f"{prefix}1",
            script="pages.lua",
            script_args=(prefix, str(ids["enrollments_pages"])),
            full_page=True,
        )
    else:
        reason = ids.get("enrollments_error") or ids.get("courses_error") or "no course id"
        found[ENROLLMENTS_LIST] = Endpoint(ENROLLMENTS_LIST, None, reason)
    return [found[name] for name in names]

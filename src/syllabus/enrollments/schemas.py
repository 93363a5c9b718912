from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from syllabus.kit.schemas import (
    INT64_MAX,
    DecimalString,
    InputTimestamp,
    RequestSchema,
    ResponseSchema,
    Timestamp,
)
from syllabus.kit.wire import From
from syllabus.models import Course, Enrollment, User
from syllabus.models.enrollment import is_expired
from syllabus.models.user import full_name

if TYPE_CHECKING:
    from syllabus.context import Scope


def _expired(expiry_date: datetime | None, scope: Scope) -> bool:
    return is_expired(expiry_date, scope.now)


def _is_set(value: object) -> bool:
    return value is not None


class EnrollmentRead(ResponseSchema):
    """Field order is the live API's (FIDELITY §6.6). ``expired`` follows the site's clock."""

    id: int
    created_at: Timestamp
    user_email: Annotated[str, From(User.email)]
    user_name: Annotated[str, From(full_name, User.first_name, User.last_name)]
    expiry_date: Timestamp | None
    user_id: int
    course_name: Annotated[str, From(Course.name)]
    course_id: int
    percentage_completed: DecimalString
    completed_at: Timestamp | None
    expired: Annotated[bool, From(_expired, Enrollment.expiry_date, scope=True)]
    is_free_trial: bool
    completed: Annotated[bool, From(_is_set, Enrollment.completed_at)]
    started_at: Timestamp | None
    activated_at: Timestamp | None
    updated_at: Timestamp


class CourseRef(ResponseSchema):
    id: int
    name: str


class UserRef(ResponseSchema):
    email: str
    first_name: str
    id: int
    last_name: str


def _course_ref(id: int, name: str) -> dict[str, Any]:
    return {"id": id, "name": name}


def _user_ref(email: str, first_name: str, id: int, last_name: str) -> dict[str, Any]:
    return {"email": email, "first_name": first_name, "id": id, "last_name": last_name}


class EnrollmentPayload(ResponseSchema):
    """The webhook payload of every enrollment topic (FIDELITY §7.2): alphabetical keys,
    ``free_trial`` rather than ``is_free_trial``, and the course and user embedded."""

    activated_at: Timestamp | None
    completed_at: Timestamp | None
    course: Annotated[CourseRef, From(_course_ref, Enrollment.course_id, Course.name)]
    course_id: int
    created_at: Timestamp
    expiry_date: Timestamp | None
    free_trial: Annotated[bool, From(Enrollment.is_free_trial)]
    id: int
    percentage_completed: DecimalString
    started_at: Timestamp | None
    updated_at: Timestamp
    user: Annotated[
        UserRef, From(_user_ref, User.email, User.first_name, Enrollment.user_id, User.last_name)
    ]


def _lenient_id(value: Any) -> int | None:
    """An id as clients send it: an integer, ``"12"`` or ``12.0``. Anything else finds nothing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        whole, _, fraction = text.partition(".")
        if not whole.isascii() or not whole.isdigit() or fraction.strip("0"):
            return None
        value = int(whole)
    if isinstance(value, int) and 0 < value <= INT64_MAX:
        return value
    return None


def _blank_is_null(value: Any) -> Any:
    # Rails casts a blank string to nil for datetime attributes; form posts send `expiry_date=`.
    if isinstance(value, str):
        return value.strip() or None
    return value


def _in_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError as error:  # 0001-01-01T00:00:00+01:00 has no UTC equivalent
        raise ValueError("is invalid") from error


LenientId = Annotated[
    int | None,
    BeforeValidator(_lenient_id),
    Field(description="An integer id; numeric strings are accepted."),
]
NullableTimestamp = Annotated[
    InputTimestamp | None, BeforeValidator(_blank_is_null), AfterValidator(_in_utc)
]


class EnrollmentCreate(RequestSchema):
    """Thinkific answers a missing or unknown course or user with a list-form 422, so the ids
    are parsed leniently here and checked by the service."""

    course_id: LenientId = None
    user_id: LenientId = None
    activated_at: NullableTimestamp = Field(
        None, description="Omit for a free-trial enrollment; set it for full access."
    )
    expiry_date: NullableTimestamp = None


class EnrollmentUpdate(RequestSchema):
    """PUT, but partial: only the keys present change. ``expiry_date: null`` removes the expiry."""

    activated_at: NullableTimestamp = None
    expiry_date: NullableTimestamp = None

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from syllabus.kit.schemas import (
    INT64_MAX,
    DecimalString,
    InputTimestamp,
    RequestSchema,
    ResponseSchema,
    Timestamp,
)


class EnrollmentRead(ResponseSchema):
    """Field order is the live API's (FIDELITY §6.6)."""

    id: int
    created_at: Timestamp
    user_email: str
    user_name: str
    expiry_date: Timestamp | None
    user_id: int
    course_name: str
    course_id: int
    percentage_completed: DecimalString
    completed_at: Timestamp | None
    expired: bool
    is_free_trial: bool
    completed: bool
    started_at: Timestamp | None
    activated_at: Timestamp | None
    updated_at: Timestamp


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

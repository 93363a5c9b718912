"""Pydantic bases and the wire encodings of FIDELITY §6.

* ``Timestamp``: UTC, milliseconds, ``Z`` (``2024-02-22T20:32:52.726Z``).
* ``NanoTimestamp``: the ``/api/v2`` form, RFC 3339 as Go's ``time.RFC3339Nano`` prints it: the
  fraction without its trailing zeros (none when it is zero), here in UTC
  (``2024-02-22T20:32:52.72605Z``).
* ``DecimalString``: decimals as JSON strings, Rails ``BigDecimal#to_s`` style (``"1.0"``).
* ``DbInt``: an integer that fits a 64-bit column; a larger one is a 422, never a database error.
* ``PathId``: the ``{id}`` of a path: ASCII digits that fit a 64-bit column. Anything else fails
  path validation, which errors.py answers as 404 ``Record not found.`` (after authentication,
  as every parameter is checked after the operation's first, ``api: ApiDep``).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

INT64_MAX = 2**63 - 1


def utc_from_text(text: str) -> datetime:
    """A timestamp as SQLite keeps it (``models.base.UTCDateTime``): naive UTC text, read as UTC
    at once rather than copied to it after; text that carries its own offset keeps it."""
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:
        return datetime.fromisoformat(text)


def format_timestamp(value: datetime | str) -> str:
    """``value`` is a datetime (naive ones are UTC), or a ``UTCDateTime`` column's text as SQLite
    keeps it, which a wire reads unconverted (``kit/wire.py``: a page of enrollments carries 150
    timestamps, and parsing each one to print it again cost a sixth of the page)."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":  # 2024-02-22 20:32:52.726050
            return f"{value[:10]}T{value[11:23]}Z"
        value = utc_from_text(value)
    if value.tzinfo is not UTC:  # the database's own are UTC already: no copy
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


def format_nano_timestamp(value: datetime) -> str:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    seconds = value.replace(microsecond=0, tzinfo=None).isoformat()
    fraction = f"{value.microsecond:06d}".rstrip("0")
    return seconds + (f".{fraction}" if fraction else "") + "Z"


def format_decimal(value: Decimal | float | int | str) -> str:
    """``value`` may also be a ``DecimalText`` column's text, which a wire reads unconverted."""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "0.0"
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number)}.0"
    return format(number.normalize(), "f")


def _as_utc(value: Any) -> Any:
    # Naive input times are UTC, as on Thinkific.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


Timestamp = Annotated[datetime, PlainSerializer(format_timestamp, return_type=str)]
NanoTimestamp = Annotated[datetime, PlainSerializer(format_nano_timestamp, return_type=str)]
DecimalString = Annotated[Decimal | float, PlainSerializer(format_decimal, return_type=str)]
DbInt = Annotated[int, Field(ge=-INT64_MAX, le=INT64_MAX)]
Text = Annotated[str, Field(max_length=255)]
LongText = Annotated[str, Field(max_length=65_535)]
Url = Annotated[str, Field(max_length=2048)]


def path_id(text: str) -> int | None:
    """A path's id: ASCII digits that fit a 64-bit column, or None.

    ``int()`` would also read " 12", "1_2" and full-width digits; Rails finds no record for those.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= INT64_MAX else None


def public_id_row(text: str) -> int | None:
    """The row id in a 23-digit public id (a webhook's, an event's: ``Event.public_id_of``,
    ``YYYYMMDDhhmmss`` and nine digits of the row id), or None for anything else. The row found
    must have ``text`` as its own public id: the caller checks."""
    if len(text) != 23 or not (text.isascii() and text.isdigit()):
        return None
    return int(text[14:])


def _path_id(value: Any) -> Any:
    if isinstance(value, str):
        parsed = path_id(value)
        if parsed is None:
            raise ValueError("is not an id")
        return parsed
    return value


PathId = Annotated[int, BeforeValidator(_path_id), Field(ge=0, le=INT64_MAX)]


class ResponseSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RequestSchema(BaseModel):
    """Request bodies: unknown keys are ignored, as Rails' strong parameters ignore them."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


# Accepted in bodies: ISO 8601 with ``Z`` or an offset, with or without fractional seconds.
InputTimestamp = Annotated[datetime, AfterValidator(_as_utc)]

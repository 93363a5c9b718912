"""``query[...]`` list filters, declared once per resource (FIDELITY §4).

A resource declares its filters::

    ENROLLMENT_FILTERS = FilterSet(IntFilter("user_id"), BoolFilter("expired"), *date_filters("created"))

``FilterSet.dependency`` is a FastAPI dependency that reads every ``query[name]`` (literal or
%-encoded brackets) and yields a ``Filters`` mapping of parsed values; routes document them with
``openapi_extra=FILTERS.openapi``. The repository turns the values into ``Criteria``: a shape
whose SQL is built once, and bound values. Parsing rules:

* integers: a value that is not an integer, or does not fit 64 bits, matches nothing;
* booleans: ``true/1/t/yes`` and ``false/0/f/no`` in any case; anything else ignores the filter;
* dates: a bare ``YYYY-MM-DD`` or ISO 8601 with ``Z`` or an offset; unparseable ignores the filter.
  A bare date is day-granular: ``_on`` is that UTC day, ``_before`` earlier days, ``_after`` later
  days, and the ``_on_or_`` forms include the day itself. A full timestamp compares as an instant.
* unknown ``query[...]`` keys are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from fastapi import Depends, Request
from sqlalchemy import ColumnElement, and_, bindparam, false

from syllabus.kit.schemas import INT64_MAX

DateOp = Literal["on", "before", "after", "on_or_before", "on_or_after"]
DATE_OPS: tuple[DateOp, ...] = ("on", "before", "after", "on_or_before", "on_or_after")

_TRUE = {"true", "1", "t", "yes", "y", "on"}
_FALSE = {"false", "0", "f", "no", "n", "off"}


class NoMatch:
    """A filter value that can match no row (``query[user_id]=abc``)."""

    def __repr__(self) -> str:
        return "NO_MATCH"


NO_MATCH = NoMatch()


@dataclass(frozen=True, slots=True)
class DateBound:
    """A parsed date filter: an instant, or a whole UTC day when the client sent a bare date."""

    op: DateOp
    start: datetime
    whole_day: bool

    def add_to(self, criteria: Criteria, name: str, column: Any) -> None:
        """Add this bound to ``criteria`` as ``name``, with bound parameters ``name_from/_to``."""
        start = self.start
        if self.op == "on":
            start = datetime.combine(start.date(), time.min, UTC)
        end = start + timedelta(days=1)
        low: Any = bindparam(f"{name}_from")
        high: Any = bindparam(f"{name}_to")
        kind = "day" if self.whole_day or self.op == "on" else "instant"
        build: Callable[[], ColumnElement[bool]]
        if self.op == "on":
            build = lambda: and_(column >= low, column < high)  # noqa: E731
        elif self.op == "before":
            build = lambda: column < low  # noqa: E731
        elif self.op == "on_or_before":
            build = (lambda: column < high) if self.whole_day else (lambda: column <= low)
        elif self.op == "after":
            build = (lambda: column >= high) if self.whole_day else (lambda: column > low)
        else:
            build = lambda: column >= low  # noqa: E731
        criteria.add(f"{name}:{kind}", build, **{f"{name}_from": start, f"{name}_to": end})


@dataclass
class Criteria:
    """A list's conditions as a *shape* and bound values, so each shape's SQL is built once.

    ``add(name, build, **values)`` records a condition: ``build()`` returns it, written with
    ``bindparam(...)`` for each of ``values`` (``:site_id`` is always bound too), and runs only
    the first time its shape is seen (``Repository.page_rows``). ``name`` must say everything that
    changes the SQL (``"completed:True"``), not the values.
    """

    shape: list[str] = field(default_factory=list)
    builders: list[Callable[[], ColumnElement[bool]]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, build: Callable[[], ColumnElement[bool]], **values: Any) -> None:
        self.shape.append(name)
        self.builders.append(build)
        self.values.update(values)

    def add_no_match(self, name: str) -> None:
        self.add(f"{name}:none", false)

    def add_equal(self, name: str, column: Any, value: Any) -> None:
        """``column = :name``, or nothing at all for a value that cannot match (``NO_MATCH``)."""
        if isinstance(value, NoMatch):
            self.add_no_match(name)
        else:
            self.add(name, lambda: column == bindparam(name), **{name: value})

    def add_dates(self, filters: Filters, field_name: str, column: Any) -> None:
        for op in DATE_OPS:
            bound = filters.get(f"{field_name}_{op}")
            if bound is not None:
                bound.add_to(self, f"{field_name}_{op}", column)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.shape)


def parse_bool(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_int(raw: str) -> int | NoMatch:
    try:
        value = int(raw.strip())
    except ValueError:
        return NO_MATCH
    return value if -INT64_MAX <= value <= INT64_MAX else NO_MATCH


def parse_date(raw: str, op: DateOp) -> DateBound | None:
    text = raw.strip()
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return DateBound(op, datetime.combine(day, time.min, UTC), whole_day=True)
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return DateBound(op, moment, whole_day=False)


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    description: str
    parser: Callable[[str], Any]
    openapi_type: str = "string"

    def parse(self, raw: str) -> Any:
        return self.parser(raw)


def IntFilter(name: str, description: str = "") -> Filter:
    return Filter(name, description or f"Only items with this {name}.", parse_int, "integer")


def BoolFilter(name: str, description: str = "") -> Filter:
    return Filter(name, description or f"true or false: filter on {name}.", parse_bool, "boolean")


def TextFilter(name: str, description: str = "") -> Filter:
    return Filter(name, description or f"Exact {name}.", lambda raw: raw)


def date_filters(field: str, noun: str = "") -> tuple[Filter, ...]:
    """The five ``{field}_{op}`` filters over one timestamp column."""
    noun = noun or field
    return tuple(
        Filter(
            f"{field}_{op}",
            f"{noun} {op.replace('_', ' ')} this date (YYYY-MM-DD or ISO 8601).",
            lambda raw, op=op: parse_date(raw, op),  # type: ignore[misc]
        )
        for op in DATE_OPS
    )


class Filters(Mapping[str, Any]):
    """Parsed filter values by name; filters that were absent or ignored are missing."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class FilterSet:
    """A resource's filters: a dependency that parses them, and their OpenAPI parameters.

    The dependency reads the query string itself instead of declaring one FastAPI parameter per
    filter: FastAPI's per-parameter handling cost a fifth of a 17-filter list request. Routes
    document the filters with ``openapi_extra=FILTERS.openapi``.
    """

    def __init__(self, *filters: Filter) -> None:
        self.filters = filters
        self.dependency = Depends(self._dependency)
        self.openapi: dict[str, Any] = {
            "parameters": [
                {
                    "name": f"query[{spec.name}]",
                    "in": "query",
                    "required": False,
                    "description": spec.description,
                    "schema": {"type": "string", "x-syllabus-type": spec.openapi_type},
                }
                for spec in filters
            ]
        }

    def parse(self, query: Mapping[str, str]) -> Filters:
        values: dict[str, Any] = {}
        for spec in self.filters:
            text = query.get(f"query[{spec.name}]")
            if text is None or text == "":
                continue
            parsed = spec.parse(text)
            if parsed is not None:
                values[spec.name] = parsed
        return Filters(values)

    async def _dependency(self, request: Request) -> Filters:
        return self.parse(request.query_params)

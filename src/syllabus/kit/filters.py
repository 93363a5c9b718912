"""``query[...]`` list filters, declared once per resource (FIDELITY §4).

A resource declares its filters, each naming the column it compares::

    ENROLLMENT_FILTERS = FilterSet(
        IntFilter("user_id", Enrollment.user_id, "Enrollments of this user."),
        BoolFilter("completed", present=Enrollment.completed_at),
        *date_filters("created", Enrollment.created_at),
        Filter("expired", "...", parse_bool, "boolean", apply=expired),  # the odd one, in code
    )

``FilterSet.dependency`` is a FastAPI dependency that reads every ``query[name]`` (literal or
%-encoded brackets) and yields the parsed ``Filters``; routes document them with
``openapi_extra=FILTERS.openapi``. ``Filters.criteria(now)`` turns them into ``Criteria``: a
*shape* (names that say everything that changes the SQL) and bound values, so that each shape's
SQL is built once (``Wire.shaped``). Parsing rules:

* integers: a value that is not an integer, or does not fit 64 bits, matches nothing;
* booleans: ``true/1/t/yes`` and ``false/0/f/no`` in any case; ``false`` selects the complement
  (FIDELITY §10 #13); anything else ignores the filter;
* dates: a bare ``YYYY-MM-DD`` or ISO 8601 with ``Z`` or an offset; unparseable (or beyond the
  calendar once in UTC) ignores the filter. A bare date is day-granular: ``_on`` is that UTC day,
  ``_before`` earlier days, ``_after`` later days, and the ``_on_or_`` forms include the day
  itself. A full timestamp compares as an instant;
* unknown ``query[...]`` keys are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
_END_OF_TIME = datetime.max.replace(tzinfo=UTC)


class NoMatch:
    """A filter value that can match no row (``query[user_id]=abc``)."""

    def __repr__(self) -> str:
        return "NO_MATCH"


NO_MATCH = NoMatch()


@dataclass
class Criteria:
    """A list's conditions as a *shape* and bound values, so each shape's SQL is built once.

    ``add(name, build, **values)`` records a condition: ``build()`` returns it, written with
    ``bindparam(...)`` for each of ``values`` (``:site_id`` is always bound too), and runs only
    the first time its shape is seen. ``name`` must say everything that changes the SQL
    (``"completed:True"``), and no value.
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
        """``column = :name``, or a condition that matches nothing for ``NO_MATCH``."""
        if isinstance(value, NoMatch):
            self.add_no_match(name)
        else:
            self.add(name, lambda: column == bindparam(name), **{name: value})

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.shape)


def equal(name: str, column: Any, value: Any) -> Criteria:
    """Criteria of one equality: a child list's parent (``course_id = :course_id``)."""
    criteria = Criteria()
    criteria.add_equal(name, column, value)
    return criteria


def _next_day(start: datetime) -> datetime:
    try:
        return start + timedelta(days=1)
    except OverflowError:  # 9999-12-31 has no next day: the end of time will do
        return _END_OF_TIME


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
        end = _next_day(start)
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
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return DateBound(op, datetime.combine(day, time.min, UTC), whole_day=True)
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: 0001-01-01T00:00+01:00 is before UTC's
        return None
    return DateBound(op, moment, whole_day=False)


@dataclass(frozen=True, slots=True)
class FilterContext:
    """What a filter's ``apply`` may use beyond its own value."""

    now: datetime
    values: Mapping[str, Any]


Apply = Callable[[Criteria, Any, FilterContext], None]


@dataclass(frozen=True, slots=True)
class Filter:
    """One ``query[name]``: how its text parses (``None`` ignores it), and what it adds."""

    name: str
    description: str
    parse: Callable[[str], Any]
    openapi_type: str
    apply: Apply


def IntFilter(name: str, column: Any, description: str = "") -> Filter:
    """``column = value``; a non-integer value matches nothing."""
    return Filter(
        name,
        description or f"Only items with this {name}.",
        parse_int,
        "integer",
        lambda criteria, value, _context: criteria.add_equal(name, column, value),
    )


def TextFilter(
    name: str, column: Any, description: str = "", *, normalize: Callable[[str], str] = str
) -> Filter:
    """``column = normalize(value)``."""
    return Filter(
        name,
        description or f"Exact {name}.",
        lambda raw: raw,
        "string",
        lambda criteria, value, _context: criteria.add_equal(name, column, normalize(value)),
    )


def BoolFilter(
    name: str,
    column: Any = None,
    description: str = "",
    *,
    present: Any = None,
    negate: bool = False,
) -> Filter:
    """``column = value`` (``column = NOT value`` with ``negate``), or with ``present``: true
    for rows where that column is set, false for rows where it is null."""

    def apply(criteria: Criteria, value: bool, _context: FilterContext) -> None:
        if present is not None:
            set_ = present.is_not(None)
            unset = present.is_(None)
            criteria.add(f"{name}:{value}", (lambda: set_) if value else (lambda: unset))
        else:
            criteria.add_equal(name, column, value != negate)

    return Filter(
        name,
        description or f"true or false: filter on {name}.",
        parse_bool,
        "boolean",
        apply,
    )


def date_filters(field: str, column: Any, noun: str = "") -> tuple[Filter, ...]:
    """The five ``{field}_{op}`` filters over one timestamp column."""
    noun = noun or field

    def one(op: DateOp) -> Filter:
        name = f"{field}_{op}"
        return Filter(
            name,
            f"{noun} {op.replace('_', ' ')} this date (YYYY-MM-DD or ISO 8601).",
            lambda raw: parse_date(raw, op),
            "string",
            lambda criteria, bound, _context: bound.add_to(criteria, name, column),
        )

    return tuple(one(op) for op in DATE_OPS)


class Filters(Mapping[str, Any]):
    """Parsed filter values by name (absent or ignored ones are missing), and their set."""

    def __init__(self, values: dict[str, Any], filter_set: FilterSet) -> None:
        self._values = values
        self.filter_set = filter_set

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def criteria(self, now: datetime) -> Criteria:
        """The conditions these values select, in the set's declaration order."""
        criteria = Criteria()
        context = FilterContext(now, self._values)
        for spec in self.filter_set.filters:
            if spec.name in self._values:
                spec.apply(criteria, self._values[spec.name], context)
        return criteria


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
        return Filters(values, self)

    async def _dependency(self, request: Request) -> Filters:
        return self.parse(request.query_params)

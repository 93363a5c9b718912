"""Filters: equal shape names always compile to equal SQL, and hostile values never fail.

Each list caches its COUNT and page statements by the shape of its filters (``Wire.shaped``):
names that must say everything that changes the SQL and nothing else. Here hypothesis draws
filter values for every ``FilterSet`` in the code base, and every two sets of values with the
same shape must build the same SQL on both dialects; values may differ only in bound
parameters.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, true
from sqlalchemy.dialects import postgresql, sqlite

from syllabus.kit.filters import FilterSet
from tests.registry import filter_sets

SETS = filter_sets()
NOW = datetime(2025, 1, 10, tzinfo=UTC)
# Values a client might send any filter: ids, booleans, dates at and past the calendar's ends.
RAW = st.one_of(
    st.sampled_from(
        [
            "1",
            "0",
            "-1",
            "99999999999999999999",
            "abc",
            "true",
            "false",
            "yes",
            "2024-02-22",
            "2024-02-22T20:32:52Z",
            "2024-02-22T20:32:52.726+05:30",
            "9999-12-31",
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01",
            "0001-01-01T00:00:00+01:00",
            "a@example.com",
            "course_admin",
            "site_admin",
        ]
    ),
    st.text(max_size=12),
)


def test_the_registry_finds_the_filter_sets() -> None:
    assert {
        "syllabus.users.filters.USER_FILTERS",
        "syllabus.enrollments.filters.ENROLLMENT_FILTERS",
    } <= set(SETS)


def _sql(filter_set: FilterSet, query: dict[str, str]) -> tuple[tuple[str, ...], list[str]]:
    criteria = filter_set.parse(query).criteria(NOW)
    condition = and_(true(), *(build() for build in criteria.builders))
    compiled = [str(condition.compile(dialect=d())) for d in (sqlite.dialect, postgresql.dialect)]
    return criteria.key, compiled


def _queries(filter_set: FilterSet) -> st.SearchStrategy[dict[str, str]]:
    keys = [f"query[{spec.name}]" for spec in filter_set.filters]
    return st.dictionaries(st.sampled_from(keys), RAW, max_size=len(keys))


@pytest.mark.parametrize("name", sorted(SETS))
def test_equal_shapes_compile_to_equal_sql(name: str) -> None:
    filter_set = SETS[name]
    seen: dict[tuple[str, ...], list[str]] = {}

    @settings(max_examples=300, deadline=None)
    @given(_queries(filter_set))
    def check(query: dict[str, str]) -> None:
        key, compiled = _sql(filter_set, query)
        assert seen.setdefault(key, compiled) == compiled, (key, query)

    check()
    assert len(seen) > 1


def test_a_shape_differs_when_the_sql_does() -> None:
    # The counterpart: completed=true and completed=false are different SQL, so different shapes.
    enrollments = SETS["syllabus.enrollments.filters.ENROLLMENT_FILTERS"]
    done, _ = _sql(enrollments, {"query[completed]": "true"})
    not_done, _ = _sql(enrollments, {"query[completed]": "false"})
    assert done != not_done


def _values(filter_set: FilterSet, query: dict[str, str]) -> dict[str, Any]:
    return dict(filter_set.parse(query).criteria(NOW).values)


def test_values_are_bound_not_built_in() -> None:
    enrollments = SETS["syllabus.enrollments.filters.ENROLLMENT_FILTERS"]
    first, sql_first = _sql(enrollments, {"query[user_id]": "1"})
    second, sql_second = _sql(enrollments, {"query[user_id]": "2"})
    assert (first, sql_first) == (second, sql_second)
    assert _values(enrollments, {"query[user_id]": "2"}) == {"user_id": 2}

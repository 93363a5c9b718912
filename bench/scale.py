"""The scale phase (``--scale``): the same requests on the run's normal site and on a site of
1,000,000 enrollments and 100,000 users, each the median of ``--scale-requests`` requests sent one
after another over one keep-alive connection (no queue: the latency of the query itself).

The two servers (one worker each) run side by side and the requests alternate between them in
blocks of ``BLOCK``, so that what the machine does meanwhile falls on both alike. Compared: the
first, middle and last page of the busiest course's enrollments (each site's own busiest course),
a user by email and a user by id (both from the middle of the users).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bench.endpoints import API, email_path, enrollments_prefix
from bench.report import table
from bench.sequential import KeepAlive, Series, timed, warm

SEED_TARGET_S = 60.0
LATENCY_TARGET = 1.5
BLOCK = 20
WARM = 10
# Seconds one comparison may take (both sites): beyond it, what was measured is reported.
ROW_BUDGET_S = 90.0

FIRST_PAGE = "GET /enrollments?query[course_id], first page"
MIDDLE_PAGE = "GET /enrollments?query[course_id], middle page"
LAST_PAGE = "GET /enrollments?query[course_id], last page"
BY_EMAIL = "GET /users?query[email]"
BY_ID = "GET /users/{id}"
ROWS = (FIRST_PAGE, MIDDLE_PAGE, LAST_PAGE, BY_EMAIL, BY_ID)


def paths(ids: dict[str, Any]) -> dict[str, str]:
    """Each row's path on a site, from the ids ``discover`` found there."""
    pages = int(ids["enrollments_pages"])
    prefix = enrollments_prefix(ids["enrollments_course_id"])
    return {
        FIRST_PAGE: f"{prefix}1",
        MIDDLE_PAGE: f"{prefix}{max(1, (pages + 1) // 2)}",
        LAST_PAGE: f"{prefix}{pages}",
        BY_EMAIL: email_path(ids["email"]),
        BY_ID: f"{API}/users/{ids['middle_user_id']}",
    }


@dataclass
class Comparison:
    name: str
    small_path: str
    large_path: str
    small: Series
    large: Series

    @property
    def ratio(self) -> float | None:
        small, large = self.small.median_ms, self.large.median_ms
        if small is None or large is None or small == 0:
            return None
        return round(large / small, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "small_path": self.small_path,
            "large_path": self.large_path,
            "small": self.small.to_json(),
            "large": self.large.to_json(),
            "ratio": self.ratio,
        }


@dataclass
class ScaleResult:
    """One database's scale phase, or why it did not run (``missing``)."""

    database: str
    missing: str = ""
    seed_seconds: float | None = None
    seed_reused: bool = False
    seeded_at: str | None = None
    small_counts: dict[str, int] = field(default_factory=dict)
    large_counts: dict[str, int] = field(default_factory=dict)
    small_pages: int | None = None
    large_pages: int | None = None
    comparisons: list[Comparison] = field(default_factory=list)

    def comparison(self, name: str) -> Comparison | None:
        for found in self.comparisons:
            if found.name == name:
                return found
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "missing": self.missing,
            "seed_seconds": self.seed_seconds,
            "seed_reused": self.seed_reused,
            "seeded_at": self.seeded_at,
            "small_counts": self.small_counts,
            "large_counts": self.large_counts,
            "small_pages": self.small_pages,
            "large_pages": self.large_pages,
            "comparisons": [comparison.to_json() for comparison in self.comparisons],
        }


def compare(
    small: tuple[int, dict[str, str], dict[str, str]],
    large: tuple[int, dict[str, str], dict[str, str]],
    requests: int,
) -> list[Comparison]:
    """Every row on both sites: (port, headers, paths) each; ``requests`` per row and site."""
    small_port, small_headers, small_paths = small
    large_port, large_headers, large_paths = large
    small_client, large_client = KeepAlive(small_port), KeepAlive(large_port)
    found = []
    try:
        for name in ROWS:
            row = Comparison(
                name,
                small_paths[name],
                large_paths[name],
                Series(f"{name}, small site", [], {}),
                Series(f"{name}, large site", [], {}),
            )
            warm(small_client, row.small_path, small_headers, WARM)
            warm(large_client, row.large_path, large_headers, WARM)
            deadline = time.monotonic() + ROW_BUDGET_S
            while time.monotonic() < deadline and (
                row.small.count < requests or row.large.count < requests
            ):
                sides = (
                    (small_client, row.small, row.small_path, small_headers),
                    (large_client, row.large, row.large_path, large_headers),
                )
                for client, series, path, headers in sides:
                    want = min(BLOCK, requests - series.count)
                    if want > 0:
                        timed(client, series, "GET", path, headers, want, deadline=deadline)
                if row.small.failures or row.large.failures:
                    break
            found.append(row)
    finally:
        small_client.close()
        large_client.close()
    return found


def result_table(results: list[ScaleResult]) -> str:
    rows = []
    for result in results:
        if result.missing:
            rows.append([result.database, "not measured", "", "", "", "", "", result.missing])
            continue
        for row in result.comparisons:
            rows.append(
                [
                    result.database,
                    row.name,
                    _ms(row.small.median_ms),
                    _ms(row.large.median_ms),
                    "-" if row.ratio is None else f"{row.ratio:.2f}x",
                    _ms(row.small.p95_ms),
                    _ms(row.large.p95_ms),
                    f"{row.small.count}/{row.large.count} requests"
                    + (
                        f", failures {row.small.failures}/{row.large.failures}"
                        if row.small.failures or row.large.failures
                        else ""
                    ),
                ]
            )
    header = [
        "database",
        "request",
        "small p50 ms",
        "large p50 ms",
        "large/small",
        "small p95 ms",
        "large p95 ms",
        "",
    ]
    return table(rows, header, right={2, 3, 4, 5, 6})


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"

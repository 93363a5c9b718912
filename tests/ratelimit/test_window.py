"""Requests a minute per site (FIDELITY §5.1, §10 #9): the 121st of any 60 seconds is refused
with 429 ``{"error":"Rate Limit Exceeded"}`` and ``RateLimit-Reset``, across the Admin API and
``/api/v2``, by the site's clock."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from tests.ratelimit.conftest import (
    ADMIN,
    LimitedApp,
    assert_refused,
    call,
    move_clock,
    set_own_limit,
    site_on,
    statuses,
)
from tests.support import AUTHENTICATION_ERROR, assert_answers


def test_the_121st_request_of_a_minute_is_refused_until_the_first_leaves(
    limited: LimitedApp, database: Database
) -> None:
    site = site_on(limited(), database)  # Thinkific's 120 a minute

    before = time.time()
    first = call(site)
    after = time.time()
    assert first.status == 200
    assert statuses(site, 119) == [200] * 119
    # Refused: a request will next succeed when the first leaves the window, 60 s after it.
    assert_refused(call(site), reset_from=before + 60, reset_to=after + 60)
    # A refused request takes no place in the window.
    assert_refused(call(site), reset_from=before + 60, reset_to=after + 60)

    move_clock(site, advance_seconds=60)

    assert statuses(site, 120) == [200] * 120
    assert call(site).status == 429


@pytest.fixture(params=["in process", "redis"])
def counted_by(request: pytest.FixtureRequest, limited: LimitedApp) -> Callable[[int], TestClient]:
    """``counted_by(per_minute)``: an app held to that limit, counting in the process or in
    Redis."""
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    return lambda per_minute: limited(per_minute=per_minute, redis_url=redis_url)


def test_the_window_slides_by_the_sites_clock(
    counted_by: Callable[[int], TestClient], database: Database
) -> None:
    site = site_on(counted_by(4), database)

    early = time.time()
    assert statuses(site, 2) == [200, 200]
    early_done = time.time()
    move_clock(site, advance_seconds=30)
    middle = time.time()
    assert statuses(site, 2) == [200, 200]
    middle_done = time.time()
    # The first two leave the window 60 s after them by the site's clock: 30 s of wall time on.
    assert_refused(call(site), reset_from=early + 30, reset_to=early_done + 30)

    move_clock(site, advance_seconds=30)

    # Those two have left; the two made at +30 s have not (a fixed minute would allow four).
    assert statuses(site, 2) == [200, 200]
    assert_refused(call(site), reset_from=middle + 30, reset_to=middle_done + 30)


def test_moving_the_sites_clock_back_forgets_requests_made_after_its_new_now(
    counted_by: Callable[[int], TestClient], database: Database
) -> None:
    site = site_on(counted_by(2), database)
    assert statuses(site, 3) == [200, 200, 429]

    move_clock(site, offset_seconds=-3600)

    assert statuses(site, 3) == [200, 200, 429]


def test_the_admin_api_and_api_v2_share_one_budget(http: TestClient, database: Database) -> None:
    site = site_on(http, database)
    set_own_limit(site, 3)

    assert call(site).status == 200
    # An authenticated call counts wherever it goes under /api/v2, a 404 included.
    assert_answers(
        call(site, "/no-such-thing", prefix="/api/v2").response,
        404,
        {"error": 'No route matches [GET] "/api/v2/no-such-thing"'},
    )
    # So does an authenticated call to an Admin API path that does not exist.
    assert_answers(
        call(site, "/nothing").response,
        404,
        {"error": 'No route matches [GET] "/api/public/v1/nothing"'},
    )

    assert call(site, "/webhooks", prefix="/api/v2").status == 429
    assert call(site).status == 429
    assert call(site, "/courses").status == 429
    # The control plane and /healthz are not the site's API.
    control = http.get(f"/_syllabus/sites/{site.subdomain}", headers=ADMIN)
    assert control.status_code == 200
    assert http.get("/healthz").status_code == 200


def test_each_site_has_its_own_budget(http: TestClient, database: Database) -> None:
    site, other = site_on(http, database), site_on(http, database)
    set_own_limit(site, 2)
    set_own_limit(other, 2)

    assert statuses(site, 3) == [200, 200, 429]

    assert statuses(other, 3) == [200, 200, 429]


def test_requests_that_do_not_authenticate_are_answered_401_and_not_counted(
    http: TestClient, database: Database
) -> None:
    site = site_on(http, database)
    set_own_limit(site, 1)
    wrong = {"X-Auth-API-Key": "0" * 32, "X-Auth-Subdomain": site.subdomain}

    for _ in range(5):
        assert_answers(http.get("/api/public/v1/users", headers=wrong), 401, AUTHENTICATION_ERROR)
        assert_answers(http.get("/api/public/v1/users"), 401, AUTHENTICATION_ERROR)

    assert statuses(site, 2) == [200, 429]
    # Refused for the site, still 401 for a caller who names it with a wrong key.
    assert_answers(http.get("/api/public/v1/users", headers=wrong), 401, AUTHENTICATION_ERROR)


def test_with_the_server_setting_off_a_site_is_not_limited(
    limited: LimitedApp, database: Database
) -> None:
    site = site_on(limited(per_minute=0), database)

    assert statuses(site, 125) == [200] * 125


def test_a_bearer_token_counts_against_its_sites_budget(
    http: TestClient, database: Database
) -> None:
    site = site_on(http, database)
    set_own_limit(site, 2)
    token = http.post(f"/_syllabus/sites/{site.subdomain}/tokens", headers=ADMIN).json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}

    assert call(site).status == 200
    assert http.get("/api/public/v1/users", headers=bearer).status_code == 200
    assert http.get("/api/public/v1/users", headers=bearer).status_code == 429
    assert call(site).status == 429

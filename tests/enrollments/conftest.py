"""Enrollment tests run on a frozen clock, so ``created_at``, ``updated_at`` and ``expired``
are exact values in every assertion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from syllabus.clock import clock
from tests.enrollments.helpers import NOW


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)

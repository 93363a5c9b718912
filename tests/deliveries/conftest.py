"""Fixtures of the delivery tests: a receiver, and the server's wall clock in the test's hands."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from syllabus.clock import clock
from tests.deliveries.helpers import Receiver, WallClock


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    listening = Receiver()
    yield listening
    listening.close()


@pytest.fixture
def wall() -> Iterator[WallClock]:
    stopped = WallClock()
    clock.set_source(lambda: stopped.now)
    yield stopped
    clock.set_source(None)

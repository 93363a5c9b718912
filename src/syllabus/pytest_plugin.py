"""pytest fixtures for projects that test against Thinkific's APIs, registered through the
``pytest11`` entry point: installing syllabus is enough.

* ``syllabus_server`` (session): a real server on a free port of 127.0.0.1 with a temporary
  SQLite database, or the one ``SYLLABUS_URL`` and ``SYLLABUS_ADMIN_TOKEN`` name;
* ``thinkific_site``: a fresh, empty site, deleted after the test (see ``syllabus.testing``).

Every pytest run in an environment with syllabus installed loads this module, so it imports
``syllabus.testing`` (and the server behind it) only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from syllabus.testing import SyllabusServer, ThinkificSite


@pytest.fixture(scope="session")
def syllabus_server() -> Iterator[SyllabusServer]:
    from syllabus.testing import server

    with server() as running:
        yield running


@pytest.fixture
def thinkific_site(syllabus_server: SyllabusServer) -> Iterator[ThinkificSite]:
    with syllabus_server.site() as site:
        yield site

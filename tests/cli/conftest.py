"""CLI fixtures: run ``syllabus`` in-process against the test database, on fresh subdomains."""

from __future__ import annotations

import itertools
import os
import re
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner, Result

from syllabus.cli import app
from syllabus.db import Database
from syllabus.models import Site
from tests.support import SiteClient

Run = Callable[..., Result]
_counter = itertools.count(1)


@pytest.fixture
def cli(database_url: str) -> Run:
    """``cli("seed", "sub", "--users", "5")``: the command's result, with the test database."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        arguments = list(args)
        if env is None:
            arguments += ["--database-url", database_url]
        return runner.invoke(app, arguments, env=env)

    return run


@pytest.fixture
def subdomain() -> str:
    return f"c{os.getpid()}x{next(_counter)}x{uuid.uuid4().hex[:6]}"


def printed_key(result: Result) -> str:
    match = re.search(r"^api_key: ([0-9a-f]{32})$", result.stdout, re.MULTILINE)
    assert match, result.output
    return match.group(1)


def one_line(text: str) -> str:
    """Rich wraps long messages at 80 columns; compare them with the wrapping undone."""
    return " ".join(text.split())


def client_for(http: TestClient, database: Database, subdomain: str, key: str) -> SiteClient:
    with database.transaction() as session:
        site_id = session.scalar(select(Site.id).where(Site.subdomain == subdomain))
    assert site_id is not None
    return SiteClient(http, database, site_id, subdomain, key)


def site_id_of(database: Database, subdomain: str) -> int | None:
    with database.transaction(write=False) as session:
        return session.scalar(select(Site.id).where(Site.subdomain == subdomain))

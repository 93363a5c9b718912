"""The console script reads its command line with the garbage collector off (cli/entry.py):
every command but ``serve`` turns it back on before it runs, and a served app once it has
started (main.py's lifespan)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from syllabus.config import Settings
from syllabus.main import create_app
from tests.cli.conftest import Run


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_a_command_runs_with_the_collector_on(cli: Run, subdomain: str) -> None:
    result = cli("sites", "create", subdomain)
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_off")
def test_serve_leaves_it_off_until_the_app_has_started(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, deliver_webhooks=False))
    assert not gc.isenabled()
    with TestClient(app) as client:
        assert gc.isenabled()
        assert client.get("/healthz").json() == {"status": "ok"}

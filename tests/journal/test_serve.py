"""``syllabus serve --journal-size --journal-body-bytes``, and two server processes sharing a
journal: each writes its own entries within a second."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.journal.helpers import ADMIN
from tests.servers import start_server
from tests.support import PREFIX, SiteClient

TOKEN = ADMIN["Authorization"].removeprefix("Bearer ")


def journal_of(url: str, site: SiteClient) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/_syllabus/sites/{site.subdomain}/requests", headers=ADMIN)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_the_flags_set_the_journal(site: SiteClient, database_url: str, tmp_path: Path) -> None:
    server = start_server(
        database_url,
        tmp_path / "serve.log",
        admin_token=TOKEN,
        arguments=["--journal-size", "2", "--journal-body-bytes", "5"],
    )
    try:
        with httpx.Client(base_url=f"{server.url}{PREFIX}", headers=site.headers) as client:
            for page in (1, 2, 3):
                assert client.get("/users", params={"page": page}).status_code == 200
        entries = journal_of(server.url, site)
    finally:
        server.kill()
    assert [(e["query"], e["response_body"], e["response_truncated"]) for e in entries] == [
        ("page=2", '{"ite', True),
        ("page=3", '{"ite', True),
    ]


def test_another_process_writes_its_entries_within_the_flush_interval(
    site: SiteClient, database_url: str, tmp_path: Path
) -> None:
    first = start_server(database_url, tmp_path / "first.log", admin_token=TOKEN)
    second = start_server(database_url, tmp_path / "second.log", admin_token=TOKEN)
    try:
        answered = httpx.get(f"{first.url}{PREFIX}/courses", headers=site.headers)
        assert answered.status_code == 200
        deadline = time.monotonic() + 5.0
        while not (seen := journal_of(second.url, site)):
            assert time.monotonic() < deadline, "the first server's entry never appeared"
            time.sleep(0.05)
        assert [(e["path"], e["status"]) for e in seen] == [("/courses", 200)]
    finally:
        first.kill()
        second.kill()

"""``syllabus apps create|list|delete``: register an app from the shell, and use it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from syllabus.db import Database
from tests.cli.conftest import Run, client_for, one_line
from tests.oauth.helpers import REDIRECT, App, api_get
from tests.support import AUTHENTICATION_ERROR, assert_answers


def printed_app(output: str) -> tuple[str, str]:
    client_id = re.search(r"^client_id: ([0-9a-f]{32})$", output, re.MULTILINE)
    secret = re.search(r"^client_secret: (\S{32,})$", output, re.MULTILINE)
    assert client_id, output
    assert secret, output
    return client_id.group(1), secret.group(1)


def test_create_list_use_and_delete(
    cli: Run, subdomain: str, http: TestClient, database: Database
) -> None:
    key = cli("sites", "create", subdomain).stdout.strip()
    site = client_for(http, database, subdomain, key)
    created = cli(
        "apps",
        "create",
        subdomain,
        "--redirect-uri",
        REDIRECT,
        "--scope",
        "read:users read:courses",
        "--name",
        "Gradebook",
    )
    assert created.exit_code == 0, created.output
    client_id, secret = printed_app(created.stdout)
    listed = cli("apps", "list", subdomain)
    assert listed.exit_code == 0, listed.output
    row = one_line(listed.stdout)
    assert client_id in row
    assert "Gradebook" in row
    assert "read:users" in row
    assert "read:courses" in row
    assert "write:users" not in row
    app = App(site, client_id, secret)
    token = app.tokens(scope="read:users")["access_token"]
    assert api_get(http, token).status_code == 200
    deleted = cli("apps", "delete", subdomain, client_id)
    assert (deleted.exit_code, deleted.stdout) == (0, f"deleted {client_id}\n")
    assert_answers(api_get(http, token), 401, AUTHENTICATION_ERROR)
    again = cli("apps", "delete", subdomain, client_id)
    assert again.exit_code == 1
    assert f"no app '{client_id}' on '{subdomain}'" in one_line(again.output)


def test_bad_input_exits_1_and_registers_nothing(cli: Run, subdomain: str) -> None:
    cli("sites", "create", subdomain)
    scope = cli("apps", "create", subdomain, "--redirect-uri", REDIRECT, "--scope", "read:all")
    assert scope.exit_code == 1
    assert "unknown scope 'read:all'" in one_line(scope.output)
    uri = cli("apps", "create", subdomain, "--redirect-uri", "example.com/cb")
    assert uri.exit_code == 1
    assert "must be an absolute http(s) URL" in one_line(uri.output)
    missing = cli("apps", "create", "no-such-site", "--redirect-uri", REDIRECT)
    assert missing.exit_code == 1
    assert "no-such-site" in one_line(missing.output)
    listed = cli("apps", "list", subdomain)
    assert listed.exit_code == 0
    assert "read:all" not in listed.stdout
    assert "example.com/cb" not in listed.stdout

"""``syllabus snapshot save|restore|list|delete``, ``syllabus diff`` and ``syllabus export``."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.cli.conftest import Run, one_line
from tests.factories import make_user
from tests.snapshots.helpers import diff, exported, save
from tests.support import SiteClient


def users(site: SiteClient) -> list[str]:
    return [user["email"] for user in site.get("/users").json()["items"]]


class TestSnapshotCommands:
    def test_save_list_restore_delete(self, cli: Run, site: SiteClient) -> None:
        make_user(site, email="kept@example.com")

        saved = cli("snapshot", "save", site.subdomain, "one")
        assert saved.exit_code == 0, saved.output
        assert one_line(saved.stdout) == f"saved one: 2 rows of {site.subdomain}"

        listed = cli("snapshot", "list", site.subdomain)
        assert listed.exit_code == 0, listed.output
        assert "one" in listed.stdout
        make_user(site, email="later@example.com")

        restored = cli("snapshot", "restore", site.subdomain, "one")
        assert restored.exit_code == 0, restored.output
        assert one_line(restored.stdout) == f"restored {site.subdomain} to one"
        assert users(site) == ["kept@example.com"]

        deleted = cli("snapshot", "delete", site.subdomain, "one")
        assert deleted.exit_code == 0, deleted.output
        assert cli("snapshot", "list", site.subdomain).stdout.strip() == (
            f"{site.subdomain} has no snapshots"
        )

    def test_refusals(self, cli: Run, site: SiteClient) -> None:
        assert cli("snapshot", "save", site.subdomain, "one").exit_code == 0
        cases = [
            (("save", "no-such-site", "x"), "no site 'no-such-site'"),
            (("save", site.subdomain, "one"), "name: has already been taken"),
            (("save", site.subdomain, "a/b"), "invalid name 'a/b'"),
            (("restore", site.subdomain, "two"), f"no snapshot 'two' of '{site.subdomain}'"),
            (("delete", site.subdomain, "two"), f"no snapshot 'two' of '{site.subdomain}'"),
        ]
        for args, message in cases:
            result = cli("snapshot", *args)
            assert result.exit_code == 1, (args, result.output)
            assert f"error: {message}" in one_line(result.stderr), args


class TestDiffCommand:
    def test_prints_the_diff_as_json(self, cli: Run, site: SiteClient) -> None:
        save(site, "before")
        make_user(site)
        result = cli("diff", site.subdomain, "--since", "before")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == diff(site, "before")
        since_made = cli("diff", site.subdomain)
        assert json.loads(since_made.stdout) == diff(site)

    def test_an_unknown_snapshot(self, cli: Run, site: SiteClient) -> None:
        result = cli("diff", site.subdomain, "--since", "nothing")
        assert result.exit_code == 1
        assert f"no snapshot 'nothing' of '{site.subdomain}'" in one_line(result.stderr)


class TestExportCommand:
    def test_yaml_to_stdout_and_json_to_a_file(
        self, cli: Run, site: SiteClient, tmp_path: Path
    ) -> None:
        make_user(site, email="ada@example.com")
        as_yaml = cli("export", site.subdomain)
        assert as_yaml.exit_code == 0, as_yaml.output
        assert yaml.safe_load(as_yaml.stdout) == exported(site)

        target = tmp_path / "site.json"
        as_json = cli("export", site.subdomain, "--format", "json", "--output", str(target))
        assert as_json.exit_code == 0, as_json.output
        assert as_json.stdout == ""
        assert json.loads(target.read_text(encoding="utf-8")) == exported(site)

    def test_an_unknown_site(self, cli: Run) -> None:
        result = cli("export", "no-such-site")
        assert result.exit_code == 1
        assert "error: no site 'no-such-site'" in one_line(result.stderr)

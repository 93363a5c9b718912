"""The request journal and fault injection through ``thinkific_site``: ``requests()``,
``fault()``, ``faults()`` and ``clear_faults()``, against the plugin's real server."""

from __future__ import annotations

import httpx
import pytest
import thinkific
import thinkific.client
import thinkific.utils

from syllabus.testing import ControlPlaneError, RecordedRequests, ThinkificSite

USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


class TestRequests:
    def test_verification_is_one_line(self, thinkific_site: ThinkificSite) -> None:
        assert thinkific_site.client.post("/users", json=USER).status_code == 201
        thinkific_site.client.get("/users")
        assert thinkific_site.requests(method="POST", path="/users").count == 1
        assert thinkific_site.requests(path="/users").count == 2
        assert thinkific_site.requests(status=404).count == 0

    def test_entries_oldest_first(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.client.get("/courses")
        thinkific_site.client.get("/users/00")
        recorded = thinkific_site.requests()
        assert isinstance(recorded, RecordedRequests)
        assert len(recorded) == 2
        assert [(e["method"], e["path"], e["status"]) for e in recorded] == [
            ("GET", "/courses", 200),
            ("GET", "/users/00", 404),
        ]
        assert recorded[0]["credential"] == "api_key"
        assert recorded.last == recorded[1]
        assert thinkific_site.requests(path="/users/*").last == recorded[1]
        assert thinkific_site.requests(method="DELETE").last is None

    def test_every_page_is_read(self, thinkific_site: ThinkificSite) -> None:
        for _ in range(260):
            thinkific_site.client.get("/users")
        assert thinkific_site.requests().count == 260

    def test_a_reset_empties_it(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.client.get("/users")
        thinkific_site.reset()
        assert thinkific_site.requests().count == 0


class TestFaults:
    def test_commit_then_fail_with_the_thinkific_client(
        self, thinkific_site: ThinkificSite, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(thinkific.utils, "BASE_URL", thinkific_site.api_url)
        monkeypatch.setattr(thinkific.client, "BASE_URL", thinkific_site.api_url)
        client = thinkific.Thinkific(thinkific_site.api_key, thinkific_site.subdomain)
        rule = thinkific_site.fault(
            method="POST", path="/users", action="commit_then_fail", times=1
        )
        assert (rule["action"], rule["remaining"]) == ("commit_then_fail", 1)

        with pytest.raises(Exception, match="500"):
            client.users.create_user(USER)

        [user] = client.users.list()["items"]
        assert user["email"] == "ada@example.com"
        [failed] = thinkific_site.requests(method="POST", path="/users")
        assert (failed["status"], failed["fault"]) == (500, "commit_then_fail")
        assert thinkific_site.faults()[0]["remaining"] == 0

    def test_a_status_until_cleared(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.fault("status", status=503, path="/courses")
        assert thinkific_site.client.get("/courses").status_code == 503
        assert thinkific_site.client.get("/users").status_code == 200
        thinkific_site.clear_faults()
        assert thinkific_site.faults() == []
        assert thinkific_site.client.get("/courses").status_code == 200

    def test_a_drop_closes_the_connection(self, thinkific_site: ThinkificSite) -> None:
        thinkific_site.fault("drop", method="GET", path="/users", times=1)
        with pytest.raises(httpx.RemoteProtocolError):
            thinkific_site.client.get("/users")
        assert thinkific_site.client.get("/users").status_code == 200
        dropped, answered = thinkific_site.requests(path="/users")
        assert (dropped["status"], dropped["fault"]) == (None, "drop")
        assert answered["status"] == 200

    def test_a_bad_rule_is_refused(self, thinkific_site: ThinkificSite) -> None:
        with pytest.raises(ControlPlaneError, match="must be 429, 500, 502 or 503"):
            thinkific_site.fault("status", status=404)
        assert thinkific_site.faults() == []

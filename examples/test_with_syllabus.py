"""Testing a Thinkific integration against Syllabus: ``pip install syllabus``, then take the
``thinkific_site`` fixture. Run with ``pytest examples/test_with_syllabus.py``."""

import pytest
import thinkific
import thinkific.client
import thinkific.utils


def test_create_a_user(thinkific_site):
    user = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    assert thinkific_site.client.post("/users", json=user).status_code == 201


@pytest.fixture
def client(thinkific_site, monkeypatch: pytest.MonkeyPatch):
    """The PyPI client, unchanged: it fixes its host in a module constant, so point that at
    the site's server."""
    monkeypatch.setattr(thinkific.utils, "BASE_URL", thinkific_site.api_url)
    monkeypatch.setattr(thinkific.client, "BASE_URL", thinkific_site.api_url)
    return thinkific.Thinkific(thinkific_site.api_key, thinkific_site.subdomain)


def test_the_thinkific_client_unchanged(client):

    created = client.users.create_user(
        {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}
    )

    assert client.users.list(email="grace@example.com")["items"] == [created]


def test_a_retry_after_a_failed_write_that_committed(thinkific_site, client):
    """What no other emulator can show: the write commits and the client still gets a 500."""
    thinkific_site.load({"courses": [{"slug": "intro", "name": "Intro"}]})
    course = client.courses.list()["items"][0]
    user = client.users.create_user(
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    )
    thinkific_site.fault("commit_then_fail", method="POST", path="/enrollments", times=1)

    with pytest.raises(Exception, match="500"):
        client.enrollments.create_enrollment({"user_id": user["id"], "course_id": course["id"]})

    created = thinkific_site.diff()["resources"]["enrollments"]["created"]
    assert [(row["user_id"], row["course_id"]) for row in created] == [(user["id"], course["id"])]
    assert thinkific_site.requests(method="POST", path="/enrollments").count == 1

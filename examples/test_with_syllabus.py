"""Testing a Thinkific integration against Syllabus: ``pip install syllabus``, then take the
``thinkific_site`` fixture. Run with ``pytest examples/test_with_syllabus.py``."""

import pytest
import thinkific
import thinkific.client
import thinkific.utils


def test_create_a_user(thinkific_site):
    user = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    assert thinkific_site.client.post("/users", json=user).status_code == 201


def test_the_thinkific_client_unchanged(thinkific_site, monkeypatch: pytest.MonkeyPatch):
    # The PyPI client fixes its host in a module constant: point it at the site's server.
    monkeypatch.setattr(thinkific.utils, "BASE_URL", thinkific_site.api_url)
    monkeypatch.setattr(thinkific.client, "BASE_URL", thinkific_site.api_url)
    client = thinkific.Thinkific(thinkific_site.api_key, thinkific_site.subdomain)

    created = client.users.create_user(
        {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}
    )

    assert client.users.list(email="grace@example.com")["items"] == [created]

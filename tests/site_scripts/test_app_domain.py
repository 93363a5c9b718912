"""The rule an OAuth app's scripts will follow once apps exist (a later issue): a ``src`` must
share the app URL's top-level domain (the spec's SiteScriptRequest). Until then no caller has an
app, and any absolute http(s) URL is a source (test_router.py)."""

from __future__ import annotations

import pytest

from syllabus.site_scripts.service import on_app_domain


@pytest.mark.parametrize(
    ("host", "app_domain", "allowed"),
    [
        ("your-site.com", None, True),
        ("anything.example.org", None, True),
        ("your-site.com", "your-site.com", True),
        ("cdn.your-site.com", "your-site.com", True),
        ("your-site.com", "app.your-site.com", True),
        ("cdn.your-site.com", "App.Your-Site.COM", True),
        ("your-site.org", "your-site.com", False),
        ("evil.com", "your-site.com", False),
        ("your-site.com.evil.com", "your-site.com", False),
    ],
)
def test_a_src_must_share_the_apps_domain(host: str, app_domain: str | None, allowed: bool) -> None:
    assert on_app_domain(host, app_domain) is allowed

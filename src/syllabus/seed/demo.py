"""The demo site behind ``make serve``: created and seeded once, its API key kept in a file.

Keys are stored hashed, so the plain key lives in ``demo-<subdomain>.key`` (mode 0600) beside the
SQLite database, or under ``./var/`` for other databases. A later run reuses the saved key while it
still authenticates, and mints a new one otherwise.

``make serve`` also opens the control plane: unless ``SYLLABUS_ADMIN_TOKEN`` is set, an admin
token is generated once and kept in ``var/admin-token`` (mode 0600), and the server is given it.

A demo site made here is not rate limited (its own limit is off), so that trying the API by hand or
from a script never meets a 429; ``syllabus sites update <subdomain> --rate-limit default`` turns
the server's limit (Thinkific's 120 a minute) on, and later runs keep whatever the site was given.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from syllabus.auth import hash_secret
from syllabus.clock import clock
from syllabus.config import THINKIFIC_RATE_LIMIT
from syllabus.models import Course, Credential, Enrollment, Site, User
from syllabus.seed.generator import ProgressCallback, SeedSummary, seed_site
from syllabus.sites.service import (
    create_api_key,
    create_site,
    describe_rate_limit,
    find_site,
    set_rate_limit,
)

DEMO_USERS = 50
DEMO_COURSES = 6
DEMO_ENROLLMENTS = 150
DEMO_SEED = 1
# What a kept admin token may be: printable ASCII without spaces, so it fits in a header.
_ADMIN_TOKEN = re.compile(r"^[!-~]+$")


@dataclass(frozen=True)
class DemoSite:
    subdomain: str
    key: str
    # The key was minted by this run and must be saved.
    new_key: bool
    created: bool
    seeded: SeedSummary | None
    users: int
    courses: int
    enrollments: int
    # The site's own requests a minute: 0 (off) when this run created it.
    rate_limit: int | None


def key_file_for(database_url: str, subdomain: str) -> Path:
    url = make_url(database_url)
    name = f"demo-{subdomain}.key"
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().parent / name
    return Path("var") / name


def read_key(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def save_key(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    path.chmod(0o600)


def kept_admin_token(path: Path) -> tuple[str, bool]:
    """The control plane's token kept at ``path``, generated and saved the first time (or when
    the file holds no usable token); and whether it is new."""
    saved = read_key(path)
    if saved is not None and _ADMIN_TOKEN.match(saved):
        return saved, False
    token = secrets.token_hex(32)
    save_key(path, token)
    return token, True


def key_authenticates(session: Session, site: Site, key: str) -> bool:
    """Whether ``key`` is a live API key of ``site`` (the check the API itself makes)."""
    digest = hash_secret(key)
    credential = session.scalars(
        select(Credential).where(Credential.token_hash == digest, Credential.site_id == site.id)
    ).first()
    if credential is None or not hmac.compare_digest(credential.token_hash, digest):
        return False
    now = clock.now(site.clock_offset_seconds)
    return (
        credential.kind == "api_key"
        and credential.revoked_at is None
        and (credential.expires_at is None or credential.expires_at > now)
    )


def _count(
    session: Session, model: type[User] | type[Course] | type[Enrollment], site: Site
) -> int:
    return int(
        session.scalar(select(func.count()).select_from(model).where(model.site_id == site.id)) or 0
    )


def prepare_demo(
    session: Session,
    subdomain: str,
    saved_key: str | None,
    progress: ProgressCallback | None = None,
) -> DemoSite:
    """Create and seed the site if needed, and settle on a working API key."""
    site = find_site(session, subdomain)
    created = site is None
    key: str | None = None
    if site is None:
        issued = create_site(session, subdomain)
        site, key = issued.site, issued.secret
        set_rate_limit(site, 0)
    seeded = None
    # A site with no users and no courses has never been seeded (or was created empty).
    if not _count(session, User, site) and not _count(session, Course, site):
        seeded = seed_site(
            session,
            site,
            users=DEMO_USERS,
            courses=DEMO_COURSES,
            enrollments=DEMO_ENROLLMENTS,
            seed=DEMO_SEED,
            progress=progress,
        )
    new_key = key is not None
    if key is None:
        if saved_key is not None and key_authenticates(session, site, saved_key):
            key = saved_key
        else:
            key = create_api_key(session, site.subdomain).secret
            new_key = True
    return DemoSite(
        subdomain=site.subdomain,
        key=key,
        new_key=new_key,
        created=created,
        seeded=seeded,
        users=_count(session, User, site),
        courses=_count(session, Course, site),
        enrollments=_count(session, Enrollment, site),
        rate_limit=site.rate_limit_per_minute,
    )


def rate_limit_line(subdomain: str, own: int | None, server: int) -> str:
    """The banner's line on the demo site's rate limit (its ``own`` setting, else the
    ``server``'s requests a minute), with the command that changes it."""
    update = f"`syllabus sites update {subdomain} --rate-limit"
    if own == 0:
        if server == THINKIFIC_RATE_LIMIT:
            turns_on = f"turns Thinkific's {server} requests a minute on"
        else:
            turns_on = f"gives it the server's setting ({describe_rate_limit(server)})"
        return f"Rate limit: off for the demo site; {update} default` {turns_on}."
    limit = server if own is None else own
    if not limit:
        return "Rate limit: off (the server's setting)."
    return f"Rate limit: {limit} requests a minute for the demo site; {update} off` turns it off."

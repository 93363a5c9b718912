"""Sites and their credentials: what the CLI and the control plane create.

Each function is one step inside the caller's unit of work; none commits.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from syllabus.auth import forget_credentials, hash_secret, new_access_token, new_api_key
from syllabus.categories.repository import default_category
from syllabus.clock import clock
from syllabus.config import limit_value
from syllabus.models import Base, Credential, Site

SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
API_KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# Bearer tokens minted by the CLI live this long unless asked otherwise.
DEFAULT_TOKEN_LIFETIME = timedelta(days=3650)


# What a reset keeps: the site, its keys and tokens, its apps.
KEPT_ON_RESET = frozenset({"sites", "credentials", "oauth_apps"})


class SiteError(ValueError):
    """A site or credential request that cannot be honoured; the message says why."""


@dataclass(frozen=True)
class IssuedSecret:
    site: Site
    secret: str


def validate_subdomain(subdomain: str) -> str:
    subdomain = subdomain.strip().lower()
    if not SUBDOMAIN_PATTERN.match(subdomain):
        raise SiteError(
            f"invalid subdomain {subdomain!r}: use lowercase letters, digits and hyphens"
        )
    return subdomain


def get_site(session: Session, subdomain: str) -> Site:
    site = session.scalars(select(Site).where(Site.subdomain == subdomain.strip().lower())).first()
    if site is None:
        raise SiteError(f"no site with subdomain {subdomain!r}")
    return site


def find_site(session: Session, subdomain: str) -> Site | None:
    return session.scalars(select(Site).where(Site.subdomain == subdomain.strip().lower())).first()


def _issue(
    session: Session,
    site: Site,
    kind: str,
    secret: str,
    now: datetime,
    *,
    expires_at: datetime | None = None,
    label: str | None = None,
) -> None:
    digest = hash_secret(secret)
    if session.scalar(select(func.count()).where(Credential.token_hash == digest)):
        raise SiteError("that key is already in use")
    session.add(
        Credential(
            site_id=site.id,
            kind=kind,
            token_hash=digest,
            hint=secret[-4:],
            label=label,
            expires_at=expires_at,
            created_at=now,
            updated_at=now,
        )
    )


def create_site(
    session: Session, subdomain: str, *, api_key: str | None = None, name: str | None = None
) -> IssuedSecret:
    subdomain = validate_subdomain(subdomain)
    if find_site(session, subdomain) is not None:
        raise SiteError(f"a site with subdomain {subdomain!r} already exists")
    if api_key is not None and not API_KEY_PATTERN.match(api_key):
        raise SiteError("an API key is 32 lowercase hex characters")
    now = clock.now()
    site = Site(
        subdomain=subdomain,
        name=name or subdomain,
        global_id=str(uuid.uuid4()),
        clock_offset_seconds=0.0,
        created_at=now,
        updated_at=now,
    )
    session.add(site)
    session.flush()
    session.add(default_category(site.id, now))
    key = api_key or new_api_key()
    _issue(session, site, "api_key", key, now)
    return IssuedSecret(site, key)


def create_api_key(session: Session, subdomain: str, *, api_key: str | None = None) -> IssuedSecret:
    site = get_site(session, subdomain)
    if api_key is not None and not API_KEY_PATTERN.match(api_key):
        raise SiteError("an API key is 32 lowercase hex characters")
    key = api_key or new_api_key()
    _issue(session, site, "api_key", key, clock.now())
    return IssuedSecret(site, key)


def create_access_token(
    session: Session, subdomain: str, *, lifetime: timedelta = DEFAULT_TOKEN_LIFETIME
) -> IssuedSecret:
    site = get_site(session, subdomain)
    token = new_access_token()
    now = clock.now()
    _issue(session, site, "access_token", token, now, expires_at=now + lifetime)
    return IssuedSecret(site, token)


def revoke(session: Session, secret: str) -> bool:
    credential = session.scalars(
        select(Credential).where(Credential.token_hash == hash_secret(secret))
    ).first()
    if credential is None or credential.revoked_at is not None:
        return False
    credential.revoked_at = clock.now()
    forget_credentials()
    return True


# The largest own rate limit a site may have (the column is a 32-bit integer).
MAX_RATE_LIMIT = 2_147_483_647


def rate_limit_from(text: str) -> int | None:
    """``--rate-limit`` as given: a number of requests a minute, ``off`` (or 0) for none, or
    ``default`` (None) to follow the server's setting."""
    if text.strip().lower() == "default":
        return None
    value = limit_value(text)
    if isinstance(value, str):
        # ASCII digits only: int() would also take "1_000", " 12" or other scripts' digits.
        value = int(value.strip()) if value.strip().isascii() and value.strip().isdigit() else -1
    if not isinstance(value, int) or not 0 <= value <= MAX_RATE_LIMIT:
        raise SiteError(
            f"invalid rate limit {text!r}: use a number of requests a minute "
            f"(at most {MAX_RATE_LIMIT}), off or default"
        )
    return value


def set_rate_limit(site: Site, limit: int | None) -> None:
    """Give ``site`` its own requests a minute (0: none) or, with None, the server's setting."""
    site.rate_limit_per_minute = limit
    # The limit travels with cached credentials (auth.py): make this process see it at once.
    forget_credentials()


def describe_rate_limit(limit: int | None) -> str:
    """A site's own rate limit, in words."""
    if limit is None:
        return "the server's default"
    return "off" if limit == 0 else f"{limit} requests a minute"


def list_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.id)))


def _delete_rows(session: Session, site: Site) -> None:
    """Delete every row the site owns except its credentials and OAuth apps."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in KEPT_ON_RESET or "site_id" not in table.c:
            continue
        session.execute(delete(table).where(table.c.site_id == site.id))


def reset_site(session: Session, site: Site) -> None:
    """A clean slate, same keys: only the default category, as on a new site."""
    _delete_rows(session, site)
    session.add(default_category(site.id, clock.now(site.clock_offset_seconds)))


def delete_site(session: Session, site: Site) -> None:
    _delete_rows(session, site)
    session.delete(site)
    forget_credentials()

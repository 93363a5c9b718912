"""Settings: every one is an environment variable prefixed ``SYLLABUS_`` with a matching CLI flag."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/syllabus.db"


OFF = frozenset({"off", "none", "false", "no"})


def limit_value(value: object) -> object:
    """A limit as the environment or a flag gives it: ``off`` (or 0) turns it off."""
    if isinstance(value, str) and value.strip().lower() in OFF:
        return 0
    return value


# A non-negative limit where 0 (or "off") means no limit.
Limit = Annotated[int, BeforeValidator(limit_value), Field(ge=0)]


def seconds_list(value: object) -> object:
    """A schedule as the environment or a flag gives it: ``"60,300,1800"``; empty: none."""
    if isinstance(value, str):
        return tuple(float(part) for part in value.replace(" ", "").split(",") if part)
    return value


# Waits in seconds, one per retry ("60,300,1800"); empty: no retry.
Schedule = Annotated[
    tuple[Annotated[float, Field(ge=0)], ...], NoDecode, BeforeValidator(seconds_list)
]

# Thinkific's limits per site (FIDELITY §5.1): the defaults.
THINKIFIC_RATE_LIMIT = 120
THINKIFIC_MAX_IN_FLIGHT = 10

# SQLite's `PRAGMA synchronous` (db.py says what each risks): any case in a setting.
Synchronous = Literal["NORMAL", "FULL"]
SqliteSynchronous = Annotated[
    Synchronous, BeforeValidator(lambda value: value.upper() if isinstance(value, str) else value)
]
DEFAULT_SQLITE_SYNCHRONOUS: Synchronous = "NORMAL"

MAX_JOURNAL_SIZE = 1_000_000
MAX_JOURNAL_BODY_BYTES = 1_048_576


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SYLLABUS_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # SQLite only: NORMAL loses no commit when the process dies; FULL also none on power loss.
    sqlite_synchronous: SqliteSynchronous = DEFAULT_SQLITE_SYNCHRONOUS
    host: str = "127.0.0.1"
    port: int = 8000
    # Guards /_syllabus/...; unset means the control plane answers 401 to everyone.
    admin_token: str | None = None
    base_domain: str = "localhost"
    # Requests and bodies larger than this get 413 before any parsing.
    max_body_bytes: int = 1_048_576
    log_level: str = "info"
    # Requests a minute per site, across the Admin API and /api/v2 (Thinkific's 120), for every
    # site without its own (`syllabus sites update --rate-limit`). 0 or "off": no limit.
    rate_limit_per_minute: Limit = THINKIFIC_RATE_LIMIT
    # Requests in flight per site while the site is limited (Thinkific's 10). 0: no cap.
    max_in_flight: Limit = THINKIFIC_MAX_IN_FLIGHT
    # Several processes share one rate-limit budget through Redis; unset, each keeps its own.
    redis_url: str | None = None
    # /oauth2/authorize redirects at once, without the consent page (tests and CI).
    oauth_auto_approve: bool = False
    # The key OAuth app secrets are derived from. Unset: one made at migration, kept in the
    # database (set it, so that a database dump alone cannot recover app secrets).
    secret_key: str | None = None
    # Webhook deliveries: `serve` sends them in process unless this is off (then `syllabus
    # worker` does); each retry waits the next of `webhook_retries` (FIDELITY §10 #1: one try
    # and three retries after 1, 5 and 30 minutes); a receiver has `webhook_timeout` seconds.
    deliver_webhooks: bool = True
    webhook_retries: Schedule = (60.0, 300.0, 1800.0)
    webhook_timeout: Annotated[float, Field(gt=0)] = 10.0
    # Thinkific's rule for target URLs: https only, no localhost. Off by default, for local
    # receivers.
    strict_webhook_urls: bool = False
    # The request journal (journal/): the newest entries kept per site (0 or "off": no
    # journal), and the bytes of each request and response body kept (0: no bodies).
    journal_size: Annotated[Limit, Field(le=MAX_JOURNAL_SIZE)] = 1000
    journal_body_bytes: Annotated[int, Field(ge=0, le=MAX_JOURNAL_BODY_BYTES)] = 4096


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""Settings: every one is an environment variable prefixed ``SYLLABUS_`` with a matching CLI flag."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/syllabus.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SYLLABUS_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Guards /_syllabus/...; unset means the control plane answers 401 to everyone.
    admin_token: str | None = None
    base_domain: str = "localhost"
    # Requests and bodies larger than this get 413 before any parsing.
    max_body_bytes: int = 1_048_576
    log_level: str = "info"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

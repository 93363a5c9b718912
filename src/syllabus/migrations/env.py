"""Alembic environment. Migrations ship inside the package, so the CLI works from any directory."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from syllabus.db import make_engine
from syllabus.migrate import compare_type
from syllabus.models import Base
from syllabus.models.base import DecimalText, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(kind: str, item: Any, _autogen_context: Any) -> str | Literal[False]:
    """Our column types as the plain ones they store, so that a migration never imports the
    application (which may change after the migration has landed)."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime()"
    if kind == "type" and isinstance(item, DecimalText):
        return "sa.String(length=40)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=compare_type,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()

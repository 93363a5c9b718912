"""Every schema change is an Alembic migration: the migrated database matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from syllabus.db import Database
from syllabus.kit.repository import Repository
from syllabus.migrate import compare_type
from syllabus.models import Base
from tests.registry import wires


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


# Tables a site's lists are read from: each resource's own wire (what its repository pages by
# default) and the control plane's (its event list). Their pages filter by site and order by id.
# Found, not listed, so a new resource's table is checked by itself.
def _repositories(base: type = Repository) -> list[type]:
    return [sub for cls in base.__subclasses__() for sub in (cls, *_repositories(cls))]


_WIRES = wires()  # imports every module, so every repository class exists
LISTED = sorted(
    {cls.wire.model.__tablename__ for cls in _repositories() if "wire" in vars(cls)}
    | {
        wire.model.__tablename__
        for name, wire in _WIRES.items()
        if name.startswith("syllabus.control.") and wire.tenant
    }
)


def test_the_listed_tables_are_found() -> None:
    assert {"users", "enrollments", "courses", "events"} <= set(LISTED)


def test_every_listed_table_has_a_site_and_id_index() -> None:
    """Lists filter by site and order by id: each listed table needs an index on (site_id, id)."""
    missing = []
    for table in (Base.metadata.tables[name] for name in LISTED):
        leading = {tuple(column.name for column in index.columns)[:2] for index in table.indexes}
        if ("site_id", "id") not in leading:
            missing.append(table.name)
    assert missing == []


def test_the_fast_head_check_agrees_with_alembic(database_url: str) -> None:
    from alembic.script import ScriptDirectory

    from syllabus.migrate import alembic_config, at_head, head_revision

    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    )
    assert at_head(database_url)


def test_every_foreign_key_leads_an_index_in_the_migrated_database(database: Database) -> None:
    """PostgreSQL indexes no foreign key by itself: each one leads an index, the primary key or
    a unique constraint, read back from the migrated database (models/base.py)."""
    inspector = inspect(database.engine)
    missing = []
    for table in inspector.get_table_names():
        leading = {index["column_names"][0] for index in inspector.get_indexes(table)}
        leading |= {unique["column_names"][0] for unique in inspector.get_unique_constraints(table)}
        primary = inspector.get_pk_constraint(table)["constrained_columns"]
        leading |= set(primary[:1])
        for key in inspector.get_foreign_keys(table):
            if key["constrained_columns"][0] not in leading:
                missing.append(f"{table}.{key['constrained_columns'][0]}")
    assert missing == []


def test_no_index_is_of_the_site_alone(database: Database) -> None:
    """An index of ``site_id`` alone traps SQLite's planner, which has no statistics: it took
    one over the index of the column a query looked rows up by, and read the whole site's rows
    (models/base.py, ``_parent_column``). Read back from the migrated database."""
    inspector = inspect(database.engine)
    alone = [
        f"{table}.{index['name']}"
        for table in inspector.get_table_names()
        for index in inspector.get_indexes(table)
        if index["column_names"] == ["site_id"]
    ]
    assert alone == []


def test_a_user_is_read_by_its_own_index_on_sqlite(database: Database) -> None:
    """The query that showed the trap, planned by SQLite on the migrated schema."""
    if not database.is_sqlite:
        pytest.skip("SQLite's planner: PostgreSQL keeps statistics (ANALYZE, autovacuum)")
    query = (
        "EXPLAIN QUERY PLAN SELECT id FROM custom_profile_fields "
        "WHERE site_id = 1 AND user_id IN (5)"
    )
    with database.engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(query))
    assert "(site_id=? AND user_id=?)" in plan, plan

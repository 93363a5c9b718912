"""Apply Alembic migrations programmatically (``syllabus migrate``, ``syllabus serve``, tests).

``serve`` migrates on every start, so ``upgrade`` first checks, without importing Alembic, whether
the database already stands at the single head revision found in ``migrations/versions``; only
then does it skip the work. Startup to the first 200 has a one-second budget.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from syllabus.db import normalize_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^revision(?:: str)? = ["\']([0-9a-zA-Z_]+)["\']', re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (.+)$", re.MULTILINE)


def head_revision() -> str | None:
    """The one head of ``migrations/versions``, or None when that is not plain to see."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        down = _DOWN.search(source)
        if down is not None:
            parents.update(re.findall(r"[0-9a-zA-Z_]{6,}", down.group(1).replace("None", "")))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def at_head(url: str) -> bool:
    head = head_revision()
    if head is None:
        return False
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return [row[0] for row in versions] == [head]


def compare_type(
    _context: Any,
    _inspected_column: Any,
    _metadata_column: Any,
    inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    """Autogenerate's type comparison, knowing that ``UTCDateTime`` is a DATETIME column.

    (On SQLite it binds and reads text itself, which autogenerate would otherwise report.)
    """
    from syllabus.models.base import UTCDateTime

    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, DateTime)
    return None


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    config.set_main_option(
        "file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    return config


def upgrade(url: str, revision: str = "head") -> None:
    if revision == "head" and at_head(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Autogenerate a migration (developers: read and edit it before committing)."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True)

"""The journal's ``query[...]`` filters: method, path (exact or a glob) and status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from syllabus.kit.filters import Criteria, Filter, FilterContext, FilterSet, IntFilter, TextFilter
from syllabus.models import JournalEntry

GLOB_CHARACTERS = frozenset("*?")


class glob_match(FunctionElement[bool]):
    """``column`` matches a glob: ``*`` any run of characters (slashes too), ``?`` one, every
    other character itself; case-sensitive, as ``faults/rules.py`` matches. Bound twice, as
    each dialect spells it: ``glob`` for SQLite's GLOB, ``like`` for LIKE elsewhere."""

    type = Boolean()
    name = "glob_match"
    inherit_cache = True


@compiles(glob_match, "sqlite")
def _glob_sqlite(element: glob_match, compiler: Any, **kw: Any) -> str:
    column, glob, _like = element.clauses
    return f"({compiler.process(column, **kw)} GLOB {compiler.process(glob, **kw)})"


@compiles(glob_match)
def _glob_like(element: glob_match, compiler: Any, **kw: Any) -> str:
    # PostgreSQL's LIKE is case-sensitive, and escapes with a backslash by default.
    column, _glob, like = element.clauses
    return f"({compiler.process(column, **kw)} LIKE {compiler.process(like, **kw)})"


def sqlite_glob(pattern: str) -> str:
    """``pattern`` for SQLite's GLOB, where ``[`` would open a character class."""
    return pattern.replace("[", "[[]")


def like_pattern(pattern: str) -> str:
    """``pattern`` for LIKE: its own wildcards escaped, then the glob's translated."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def _path(criteria: Criteria, pattern: str, _context: FilterContext) -> None:
    if GLOB_CHARACTERS.isdisjoint(pattern):
        criteria.add_equal("path", JournalEntry.path, pattern)
        return
    matches = glob_match(JournalEntry.path, bindparam("path_glob"), bindparam("path_like"))
    criteria.add(
        "path:glob",
        lambda: matches,
        path_glob=sqlite_glob(pattern),
        path_like=like_pattern(pattern),
    )


JOURNAL_FILTERS = FilterSet(
    TextFilter(
        "method", JournalEntry.method, "GET, POST, PUT, PATCH or DELETE.", normalize=str.upper
    ),
    Filter(
        "path",
        "The path after /api/public/v1 or /api/v2: exact, or a glob (* any characters, ? one).",
        lambda raw: raw,
        "string",
        _path,
    ),
    IntFilter("status", JournalEntry.status, "The status the client got."),
)

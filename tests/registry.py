"""What the code base declares, found rather than listed: every ``Wire`` and ``FilterSet``.

A new resource's wires and filters are covered by the tests that use these without anyone
adding them to a list.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path

import syllabus
from syllabus.kit.filters import FilterSet
from syllabus.kit.wire import Wire


@cache
def _globals() -> list[tuple[str, object]]:
    """Every module-level name that its own module assigns (not one it imports)."""
    found = []
    for module in pkgutil.walk_packages(syllabus.__path__, "syllabus."):
        if ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        source = Path(loaded.__file__ or "").read_text(encoding="utf-8")
        found += [
            (f"{module.name}.{name}", value)
            for name, value in vars(loaded).items()
            if re.search(rf"^{re.escape(name)}\b[^=\n]*=", source, re.MULTILINE)
        ]
    return found


def _of_type(kind: type) -> dict[str, object]:
    seen: dict[int, tuple[str, object]] = {}
    for name, value in _globals():
        if isinstance(value, kind) and id(value) not in seen:
            seen[id(value)] = (name, value)
    return dict(sorted(seen.values(), key=lambda item: item[0]))


def wires() -> dict[str, Wire]:
    """Every module-level ``Wire``, by the dotted name of its definition."""
    return {name: value for name, value in _of_type(Wire).items() if isinstance(value, Wire)}


def filter_sets() -> dict[str, FilterSet]:
    """Every module-level ``FilterSet``, by the dotted name of its definition."""
    return {
        name: value for name, value in _of_type(FilterSet).items() if isinstance(value, FilterSet)
    }

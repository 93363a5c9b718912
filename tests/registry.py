"""What the code base declares, found rather than listed: every ``Wire`` and ``FilterSet``.

A new resource's wires and filters are covered by the tests that use these without anyone
adding them to a list.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import syllabus
from syllabus.kit.filters import FilterSet
from syllabus.kit.wire import Wire


@cache
def _globals() -> list[tuple[str, object]]:
    found = []
    for module in pkgutil.walk_packages(syllabus.__path__, "syllabus."):
        if ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        found += [(f"{module.name}.{name}", value) for name, value in vars(loaded).items()]
    return found


def wires() -> dict[str, Wire]:
    """Every module-level ``Wire``, by its dotted name (each object once)."""
    seen: dict[int, str] = {}
    for name, value in _globals():
        if isinstance(value, Wire) and id(value) not in seen:
            seen[id(value)] = name
    objects = {id(value): value for _, value in _globals() if isinstance(value, Wire)}
    return {name: objects[key] for key, name in sorted(seen.items(), key=lambda item: item[1])}


def filter_sets() -> dict[str, FilterSet]:
    """Every module-level ``FilterSet``, by its dotted name (each object once)."""
    found: dict[str, FilterSet] = {}
    for name, value in _globals():
        if isinstance(value, FilterSet) and value not in found.values():
            found[name] = value
    return found

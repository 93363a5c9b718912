"""The request journal's cost: ``GET /courses/{id}`` on two servers of one worker each, started
together, the journal off (``SYLLABUS_JOURNAL_SIZE=0``) and on (its default size), measured in
turns for ``--journal-rounds`` rounds exactly as the rate limiter's cost is (bench/limiter.py).

The setting is looked up in ``syllabus.config.Settings`` when the run starts: on a build without
it, the cost is reported as not measured, with that reason.
"""

from __future__ import annotations

import importlib
from typing import Any

from bench.limiter import Mode

SETTING = "journal_size"
ENV = "SYLLABUS_JOURNAL_SIZE"
OFF = "off"
ON = "on"
LABELS = (ON,)


def default_size() -> tuple[str | None, str]:
    """The journal's default size as the environment would give it, or None and why not."""
    try:
        config = importlib.import_module("syllabus.config")
    except ImportError as error:
        return None, f"syllabus.config does not import ({error})"
    fields: dict[str, Any] = getattr(config.Settings, "model_fields", {})
    field = fields.get(SETTING)
    if field is None:
        return None, f"this build has no `{SETTING}` setting ({ENV}) in syllabus.config"
    default = field.default
    if not isinstance(default, int) or isinstance(default, bool) or default <= 0:
        return None, f"`{SETTING}` defaults to {default!r}, not a journal that is on"
    return str(default), ""


def modes(size: str) -> list[Mode]:
    return [Mode(OFF, {ENV: "0"}), Mode(ON, {ENV: size})]

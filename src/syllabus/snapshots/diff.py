"""What changed between a snapshot and now, by table: rows created, updated (each changed
column, before and after) and deleted, pairing rows by their primary keys.

The diff covers the site's state, not its history: the event log and the webhook delivery log
(``events``, ``webhook_deliveries``, ``webhook_delivery_attempts``) only record what happened,
and are read through ``/_syllabus/sites/{sub}/events`` and ``/deliveries``. A snapshot still
holds them, and restoring one brings them back.
"""

from __future__ import annotations

from typing import Any

from syllabus.snapshots.repository import Rows, Tables, present
from syllabus.snapshots.tables import SiteTable, site_tables

HISTORY = frozenset({"events", "webhook_deliveries", "webhook_delivery_attempts"})
# Every row is the site's: saying so on each would only be noise.
UNSHOWN = frozenset({"site_id"})
REDACTED = "[redacted]"


def _secret(name: str) -> bool:
    """A digest or a sealed key (a password's hash, a webhook's signing key): whether it
    changed is shown, never the value."""
    return name.endswith("_hash") or name.startswith("sealed_")


def _value(table: SiteTable, name: str, value: Any) -> Any:
    if value is not None and _secret(name):
        return REDACTED
    return present(table, name, value)


def _shown(table: SiteTable, row: list[Any]) -> dict[str, Any]:
    """A row as the diff shows it: its key first, then the other columns in table order."""
    values = dict(zip(table.columns, row, strict=True))
    names = [*table.key, *(name for name in table.columns if name not in table.key)]
    return {name: _value(table, name, values[name]) for name in names if name not in UNSHOWN}


def _table_diff(table: SiteTable, before: Rows, after: Rows) -> dict[str, Any] | None:
    old, new = table.keyed(before), table.keyed(after)
    created = [_shown(table, new[key]) for key in sorted(new.keys() - old.keys())]
    deleted = [_shown(table, old[key]) for key in sorted(old.keys() - new.keys())]
    updated = []
    for key in sorted(old.keys() & new.keys()):
        was, now = old[key], new[key]
        if was == now:
            continue
        changes = {
            name: [_value(table, name, was[at]), _value(table, name, now[at])]
            for at, name in enumerate(table.columns)
            if was[at] != now[at] and name not in UNSHOWN
        }
        updated.append({**table.key_fields(key), "changes": changes})
    if not (created or updated or deleted):
        return None
    return {"created": created, "updated": updated, "deleted": deleted}


def diff(since: str | None, before: Tables, after: Tables) -> dict[str, Any]:
    """The body of ``GET .../diff?since=``: only the tables that changed, in the order of the
    schema (parents before children)."""
    resources = {}
    for table in site_tables():
        if table.name in HISTORY:
            continue
        changed = _table_diff(table, before.get(table.name, []), after.get(table.name, []))
        if changed is not None:
            resources[table.name] = changed
    return {"since": since, "resources": resources}

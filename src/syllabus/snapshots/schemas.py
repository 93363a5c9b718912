from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from syllabus.kit.schemas import RequestSchema, Timestamp

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _name(value: str) -> str:
    if not NAME_PATTERN.match(value):
        raise ValueError("must be letters, digits, dots, hyphens and underscores")
    return value


# A name goes in paths (`.../snapshots/{name}/restore`): nothing that needs escaping.
SnapshotName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_name)]


class SnapshotCreate(RequestSchema):
    name: SnapshotName = Field(
        description="Unique on the site: letters, digits, dots, hyphens and underscores."
    )


class SnapshotRead(BaseModel):
    name: str
    created_at: Timestamp = Field(description="When it was taken, by the site's clock.")
    clock_offset_seconds: float = Field(
        description="The site's virtual clock then: restoring sets it back."
    )
    tables: dict[str, int] = Field(
        description="The rows it holds, by table: every table of the site's state."
    )


class SnapshotList(BaseModel):
    items: list[SnapshotRead]


class RowChange(BaseModel):
    """A row in both states: its primary key (``id``, or a link table's two ids), then each
    changed column's values before and after."""

    model_config = ConfigDict(extra="allow")

    changes: dict[str, Annotated[list[Any], Field(min_length=2, max_length=2)]] = Field(
        description="Each changed column: [before, after]."
    )


class ResourceDiff(BaseModel):
    created: list[dict[str, Any]] = Field(description="Rows that are new, as they are now.")
    updated: list[RowChange]
    deleted: list[dict[str, Any]] = Field(description="Rows that are gone, as they were.")


class DiffRead(BaseModel):
    since: str | None = Field(
        description="The snapshot compared with now; null: the site as it was made."
    )
    resources: dict[str, ResourceDiff] = Field(
        description="By table, only those that changed. Rows are columns and their values "
        "(timestamps in ISO 8601, decimals as strings), without `site_id`."
    )

"""Snapshots, the diff and the export on the control plane:
``/_syllabus/sites/{subdomain}/snapshots``, ``.../diff`` and ``.../export``. Guarded by the
admin token like the rest of ``/_syllabus``; each call is one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.control.context import Admin, AdminDep, control_router
from syllabus.kit.responses import json_response
from syllabus.snapshots.export import YAML_MEDIA_TYPE, export_site, to_yaml
from syllabus.snapshots.schemas import DiffRead, SnapshotCreate, SnapshotList, SnapshotRead
from syllabus.snapshots.service import SnapshotService

router = control_router("/_syllabus/sites/{subdomain}")

T = TypeVar("T")


async def _whole_site(admin: Admin, work: Callable[[Session], T]) -> T:
    """A read of the whole site (tens of milliseconds for 10,000 rows) in a worker thread, so
    that the server keeps answering meanwhile."""
    return await admin.run(work, write=False, inline=False)


ExportFormat = Literal["yaml", "json"]


@router.post("/snapshots", status_code=201, response_model=SnapshotRead)
async def create_snapshot(admin: AdminDep, subdomain: str, body: SnapshotCreate) -> Response:
    """Save the site's whole state under a name (unique on the site): every row of every table
    the site owns, with its ids, and its virtual clock. Its keys, tokens and OAuth apps are not
    part of it. Answers the snapshot, with the rows it holds by table."""
    return await admin.write(
        lambda s: SnapshotService.of(s, subdomain).save(body.name), inline=False
    )


@router.get("/snapshots", response_model=SnapshotList)
async def list_snapshots(admin: AdminDep, subdomain: str) -> Response:
    """List the site's snapshots, oldest first."""
    return await admin.read(lambda s: SnapshotService.of(s, subdomain).list())


@router.post("/snapshots/{name}/restore", status_code=204)
async def restore_snapshot(admin: AdminDep, subdomain: str, name: str) -> Response:
    """Bring the site back to the snapshot, in one transaction: every row as it was, with the
    same ids, and its clock. Rows made since are deleted. No other site is touched, nor the
    site's keys, tokens and OAuth apps."""
    return await admin.write(lambda s: SnapshotService.of(s, subdomain).restore(name), inline=False)


@router.delete("/snapshots/{name}", status_code=204)
async def delete_snapshot(admin: AdminDep, subdomain: str, name: str) -> Response:
    """Delete a snapshot (the site is left as it is)."""
    return await admin.write(lambda s: SnapshotService.of(s, subdomain).delete(name))


@router.get("/diff", response_model=DiffRead)
async def diff_site(
    admin: AdminDep,
    subdomain: str,
    since: Annotated[
        str | None,
        Query(
            description="The name of a snapshot of the site. Without it: since the site was "
            "made, when it held only its default category."
        ),
    ] = None,
) -> Response:
    """What changed since a snapshot, by table: rows created (as they are), updated (each
    changed column, `[before, after]`) and deleted (as they were), paired by primary key.
    Tables with no change are left out, and so are the event and delivery logs."""
    return json_response(
        await _whole_site(admin, lambda s: SnapshotService.of(s, subdomain).diff(since))
    )


@router.get(
    "/export",
    responses={
        200: {
            "description": "The site in the `syllabus load` format (docs/load-format.md).",
            "content": {
                YAML_MEDIA_TYPE: {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def export(
    admin: AdminDep,
    subdomain: str,
    request: Request,
    format: Annotated[
        ExportFormat | None,
        Query(
            description="yaml or json; without it, the Accept header decides (YAML unless "
            "it asks for JSON)."
        ),
    ] = None,
) -> Response:
    """The site as a `syllabus load` file: loading it into a new site reproduces every Admin API
    response but the ids."""
    document = await _whole_site(admin, lambda s: export_site(s, subdomain))
    chosen = format or ("json" if "json" in request.headers.get("accept", "") else "yaml")
    if chosen == "json":
        return json_response(document)
    return Response(to_yaml(document), media_type=YAML_MEDIA_TYPE)

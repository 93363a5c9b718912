"""Fault rules on the control plane: ``POST``, ``GET`` and ``DELETE``
``/_syllabus/sites/{sub}/faults``. Guarded by the admin token like the rest of ``/_syllabus``;
the work is ``service.py``'s."""

from __future__ import annotations

from starlette.responses import Response

from syllabus.control.context import AdminDep, control_router
from syllabus.faults import service
from syllabus.faults.schemas import FaultCreate, FaultRead
from syllabus.pagination import Page, PageParamsDep

router = control_router()


@router.post("/sites/{subdomain}/faults", status_code=201, response_model=FaultRead)
async def create_fault(admin: AdminDep, subdomain: str, body: FaultCreate) -> Response:
    """Add a fault rule: requests to the site's APIs that match `method` and the glob `path`
    (after /api/public/v1 or /api/v2) get the `action`, `times` times, with `probability`, or
    always. This server applies it from its next request; other processes within a second."""
    return await admin.write(lambda s: service.create_fault(s, subdomain, body))


@router.get("/sites/{subdomain}/faults", response_model=Page[FaultRead])
async def list_faults(admin: AdminDep, subdomain: str, page: PageParamsDep) -> Response:
    """List the site's fault rules, in the order they are tried (oldest first), used-up ones
    (`remaining` 0) included."""
    return await admin.read(lambda s: service.list_faults(s, subdomain, page))


@router.delete("/sites/{subdomain}/faults", status_code=204)
async def clear_faults(admin: AdminDep, subdomain: str) -> Response:
    """Delete every fault rule of the site."""
    return await admin.write(lambda s: service.clear_faults(s, subdomain))

"""Site Scripts: https://developers.thinkific.com/api/api-documentation/#/Site%20Scripts"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.pagination import Page, PageParamsDep
from syllabus.site_scripts.schemas import SiteScriptEnvelope, SiteScriptRead, SiteScriptWrite
from syllabus.site_scripts.service import SiteScriptService

router = ResourceRouter(prefix="/site_scripts", tags=["Site Scripts"])

ScriptId = Annotated[str, Path(description="The script's string id (ULID-like).")]

Signature = Annotated[
    str | None,
    Header(
        alias="HMAC-SHA256-SIGNATURE",
        description=(
            "Required with `content`: the lowercase hex HMAC-SHA256 of the content, keyed with "
            "the API key (or access token) that authenticates the request."
        ),
    ),
]


@router.get("", operation_id="getSiteScripts", response_model=Page[SiteScriptRead])
async def get_site_scripts(api: ApiDep, page: PageParamsDep) -> Response:
    """List site scripts, in the order they were created. Items are not wrapped."""
    return await api.read(lambda scope: SiteScriptService(scope).list(page))


@router.post(
    "", operation_id="createSiteScript", status_code=201, response_model=SiteScriptEnvelope
)
async def create_site_script(
    api: ApiDep, body: SiteScriptWrite, signature: Signature = None
) -> Response:
    """Create a site script, from `src` or signed `content`. The answer is wrapped in
    `site_script`."""
    return await api.write(lambda scope: SiteScriptService(scope).create(body, signature))


@router.get("/{id}", operation_id="getSiteScriptByID", response_model=SiteScriptEnvelope)
async def get_site_script_by_id(api: ApiDep, id: ScriptId) -> Response:
    """Get a site script by its string id. The answer is wrapped in `site_script`."""
    return await api.read(lambda scope: SiteScriptService(scope).read(id))


@router.put("/{id}", operation_id="updateSiteScriptByID", status_code=204)
async def update_site_script_by_id(
    api: ApiDep, id: ScriptId, body: SiteScriptWrite, signature: Signature = None
) -> Response:
    """Replace a site script's fields. Thinkific answers 204 with no body."""
    return await api.write(lambda scope: SiteScriptService(scope).update(id, body, signature))


@router.delete("/{id}", operation_id="deleteSiteScriptByID", status_code=204)
async def delete_site_script_by_id(api: ApiDep, id: ScriptId) -> Response:
    """Delete a site script."""
    return await api.write(lambda scope: SiteScriptService(scope).delete(id))

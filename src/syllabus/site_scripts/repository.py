from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import SiteScript
from syllabus.site_scripts.schemas import SiteScriptRead

SITE_SCRIPT = Wire(SiteScriptRead, SiteScript)
# site_script.created, .updated and .deleted: internal topics (``id`` is the public script id).
SITE_SCRIPT_PAYLOAD = SITE_SCRIPT.alphabetical()

_ID_BY_SCRIPT_ID = select(SiteScript.id).where(
    SiteScript.site_id == bindparam("site_id"), SiteScript.script_id == bindparam("script_id")
)


class SiteScriptRepository(Repository[SiteScript]):
    model = SiteScript
    wire = SITE_SCRIPT

    def id_of(self, script_id: str) -> int | None:
        """The row id of the site's script whose public id is ``script_id``."""
        found: int | None = self.value(_ID_BY_SCRIPT_ID, script_id=script_id)
        return found

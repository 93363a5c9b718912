"""``site_scripts``: the scripts injected into the site's pages, by name."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.schemas import Url
from syllabus.kit.validation import Required, RequiredLongText
from syllabus.models import SiteScript
from syllabus.models.site_script import new_script_id
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Section,
    Stamped,
    repeated,
    times_of,
)
from syllabus.site_scripts.schemas import Category, LoadMethod, Location, PageScopes

SOURCES = ("src", "content")


def _absolute(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http or https URL")
    return value


Source = Annotated[Url, AfterValidator(_absolute)]


class SiteScriptSpec(Stamped):
    name: Required
    description: RequiredLongText
    src: Source | None = None
    content: RequiredLongText | None = None
    page_scopes: PageScopes
    location: Location = "footer"
    load_method: LoadMethod = "async"
    category: Category


class SiteScripts(Section[SiteScriptSpec]):
    key = "site_scripts"
    spec = SiteScriptSpec
    natural = NaturalKey("name", SiteScript.name, "site script named", shared=True)
    fields = ("description", "page_scopes", "location", "load_method", "category")

    def check(self, entries: Sequence[SiteScriptSpec]) -> Iterator[Problem]:
        for index, script in enumerate(entries):
            given = [name for name in SOURCES if getattr(script, name) is not None]
            if not given:
                yield Problem(index, "must provide one of: src or content")
            elif len(given) > 1:
                yield Problem(index, "must provide only one of: src or content")
            yield from repeated(index, "page_scopes", script.page_scopes)

    def new(self, load: Load, spec: SiteScriptSpec) -> SiteScript:
        return SiteScript(name=spec.name, script_id=new_script_id())

    def upsert(self, load: Load, spec: SiteScriptSpec, row: SiteScript, creating: bool) -> bool:
        # The one the entry gives replaces the stored one, whichever that was.
        values = {name: getattr(spec, name) for name in SOURCES}
        values.update(spec.given(self.fields, creating=creating))
        return load.save(row, values, creating=creating)

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        return [
            {
                "name": script.name,
                **{name: getattr(script, name) for name in SOURCES},
                **{name: getattr(script, name) for name in self.fields},
                **times_of(script),
            }
            for script in session.scalars(
                select(SiteScript).where(SiteScript.site_id == site_id).order_by(SiteScript.id)
            )
        ]


SECTION = SiteScripts()

"""The site as a ``syllabus load`` file: ``syllabus export SUB > site.yaml`` and
``GET /_syllabus/sites/{sub}/export``.

Each section of the load format writes its own entries (``Section.export``, beside the code
that loads them), so a new section is exported by itself. Every entry is checked against the
section's spec before it is written, which proves the file loads, and is written without the
values the load would give anyway (a field equal to its default is left out).

Loading the file into a new site reproduces every Admin API response but the identifiers the
server makes: ids, site script ids and group tokens (docs/load-format.md, "Exporting a site").
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from syllabus.errors import Unprocessable, found
from syllabus.seed.loader import Section, sections
from syllabus.sites.service import find_site

YAML_MEDIA_TYPE = "application/yaml"


def _ordered(written: Any, given: Any) -> Any:
    """``written`` (a dumped entry) in the key order of ``given`` (the section's entry)."""
    if isinstance(written, dict) and isinstance(given, dict):
        return {key: _ordered(written[key], given[key]) for key in given if key in written}
    if isinstance(written, list) and isinstance(given, list):
        return [_ordered(item, original) for item, original in zip(written, given, strict=True)]
    return written


def _entries(section: Section[Any], session: Session, site_id: int) -> list[dict[str, Any]]:
    entries = []
    problems = []
    for index, entry in enumerate(section.export(session, site_id)):
        try:
            spec = section.spec.model_validate(entry)
        except ValidationError as error:
            problems += [
                f"{section.key}[{index}].{'.'.join(map(str, detail['loc']))}: "
                + detail["msg"].removeprefix("Value error, ")
                for detail in error.errors()
            ]
            continue
        entries.append(_ordered(spec.model_dump(mode="json", exclude_defaults=True), entry))
    if problems:
        raise Unprocessable({"base": problems})
    return entries


def export_site(session: Session, subdomain: str) -> dict[str, list[dict[str, Any]]]:
    """The site ``subdomain`` in the load format: each section with rows, in load order.

    A 404 without such a site; a 422 listing each row the format cannot hold.
    """
    site = found(find_site(session, subdomain))
    document = {}
    for section in sections():
        entries = _entries(section, session, site.id)
        if entries:
            document[section.key] = entries
    return document


def to_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)

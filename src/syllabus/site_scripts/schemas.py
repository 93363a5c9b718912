from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import AfterValidator, Field

from syllabus.kit.schemas import LongText, RequestSchema, ResponseSchema, Timestamp, Url
from syllabus.kit.validation import Required, RequiredLongText
from syllabus.kit.wire import From
from syllabus.models import SiteScript
from syllabus.models.site_script import CATEGORIES, LOAD_METHODS, LOCATIONS, PAGE_SCOPES

# The model's enums as types: Pydantic (and so our OpenAPI and the 422s) sees each as a Literal
# of the model's values; mypy, which cannot read a Literal of a tuple, as a string.
if TYPE_CHECKING:
    PageScope: TypeAlias = str
    Location: TypeAlias = str
    LoadMethod: TypeAlias = str
    Category: TypeAlias = str
else:
    PageScope = Literal[PAGE_SCOPES]
    Location = Literal[LOCATIONS]
    LoadMethod = Literal[LOAD_METHODS]
    Category = Literal[CATEGORIES]


class SiteScriptRead(ResponseSchema):
    """The spec's SiteScriptResponse order. Its examples leave out whichever of ``content`` and
    ``src`` a script lacks; real bodies carry every key (FIDELITY §6.4), so that one is null."""

    id: Annotated[str, From(SiteScript.script_id)]
    content: str | None
    src: str | None
    name: str
    description: str
    page_scopes: list[PageScope]
    location: Location | None
    load_method: LoadMethod | None
    category: Category
    created_at: Timestamp
    updated_at: Timestamp


class SiteScriptEnvelope(ResponseSchema):
    """POST and GET-one wrap the script (FIDELITY §6.7, §10 #7); list items are bare."""

    site_script: SiteScriptRead


def _not_empty(value: list[PageScope]) -> list[PageScope]:
    if not value:
        raise ValueError("can't be blank")
    return value


PageScopes = Annotated[
    list[PageScope],
    AfterValidator(_not_empty),
    Field(json_schema_extra={"minItems": 1}, description="Where the script is injected."),
]


class SiteScriptWrite(RequestSchema):
    """The spec's SiteScriptRequest, for a create and an update alike (a PUT replaces the
    script's fields; an omitted ``location`` or ``load_method`` keeps its value). Exactly one of
    ``src`` and ``content``; ``content`` is signed (the ``HMAC-SHA256-SIGNATURE`` header)."""

    name: Required
    description: RequiredLongText
    page_scopes: PageScopes
    category: Category
    src: Url | None = Field(None, description="An absolute http(s) URL of the script.")
    content: LongText | None = Field(
        None, description="The script itself; requires the `HMAC-SHA256-SIGNATURE` header."
    )
    location: Location | None = Field(None, description="`footer` for a new script if omitted.")
    load_method: LoadMethod | None = Field(None, description="`async` for a new script if omitted.")

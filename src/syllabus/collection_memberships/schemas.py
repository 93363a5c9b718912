from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from syllabus.kit.schemas import DbInt, RequestSchema


def _not_empty(ids: list[int]) -> list[int]:
    if not ids:
        raise ValueError("can't be blank")
    return list(dict.fromkeys(ids))


class MembershipsRequest(RequestSchema):
    """MembershipsRequest: the products to add to, or remove from, the category."""

    product_ids: Annotated[
        list[DbInt],
        AfterValidator(_not_empty),
        Field(description="Product ids (integers; numeric strings are accepted). Not empty."),
    ]

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from syllabus.kit.schemas import DbInt, RequestSchema, ResponseSchema


class GroupAnalystsRead(ResponseSchema):
    """GetGroupAnalystsResponse: the ids of the group's analysts, ascending (not paginated)."""

    group_analysts: list[int]


def _ids(ids: list[int]) -> list[int]:
    """Not empty; each id once, in the order given."""
    if not ids:
        raise ValueError("can't be blank")
    return list(dict.fromkeys(ids))


_DESCRIPTION = "{} ids (integers; numeric strings are accepted). Not empty."
UserIds = Annotated[
    list[DbInt], AfterValidator(_ids), Field(description=_DESCRIPTION.format("User"))
]
GroupIds = Annotated[
    list[DbInt], AfterValidator(_ids), Field(description=_DESCRIPTION.format("Group"))
]


class GroupAddAnalystRequest(RequestSchema):
    """GroupAddAnalystRequest: the users to make analysts of the group; each needs the
    ``group_analyst`` role."""

    user_ids: UserIds


class GroupAnalystsAddGroupRequest(RequestSchema):
    """GroupAnalystsAddGroupRequest: the groups the analyst is to analyze."""

    group_ids: GroupIds

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from syllabus.kit.schemas import RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.wire import From
from syllabus.models import FaultRule

# The statuses a `status` rule may answer: Thinkific's failures a client should survive.
FAULT_STATUSES = (429, 500, 502, 503)
MAX_DELAY_MS = 60_000
MAX_TIMES = 1_000_000
MAX_SEED = 2**31 - 1

FaultAction = Literal["status", "delay", "drop", "commit_then_fail"]


class FaultCreate(RequestSchema):
    """A rule: which requests (``method``, ``path``), what happens to them (``action``), and
    how often (``times`` or ``probability``; neither: every matching request)."""

    method: Annotated[str, Field(max_length=16)] | None = Field(
        None, description="GET, POST, PUT, PATCH or DELETE; omit for any."
    )
    path: Annotated[str, Field(min_length=1, max_length=2048)] = Field(
        "*",
        description="A glob over the path after /api/public/v1 or /api/v2: * any characters "
        "(slashes too), ? one; case-sensitive. Default: every path.",
    )
    action: FaultAction = Field(
        description="status: answer `status` at once; delay: wait `delay_ms`, then run the "
        "request; drop: close the connection without an answer; commit_then_fail: run the "
        "request (a write commits), then answer 500 instead."
    )
    status: int | None = Field(
        None, strict=True, description="For action status: 429, 500, 502 or 503."
    )
    delay_ms: int | None = Field(
        None,
        strict=True,
        ge=0,
        le=MAX_DELAY_MS,
        description="Milliseconds to wait first: required by action delay, allowed with any.",
    )
    times: int | None = Field(
        None, strict=True, ge=1, le=MAX_TIMES, description="Act on this many matches, then expire."
    )
    probability: float | None = Field(
        None, strict=True, ge=0, le=1, description="Act on each match with this chance."
    )
    seed: int | None = Field(
        None,
        strict=True,
        ge=0,
        le=MAX_SEED,
        description="With probability: the same seed gives the same sequence (default 0).",
    )


def _remaining(times: int | None, matched: int) -> int | None:
    return None if times is None else max(times - matched, 0)


class FaultRead(ResponseSchema):
    id: int
    method: str | None = Field(description="null: any method.")
    path: str
    action: str
    status: int | None
    delay_ms: int | None
    times: int | None
    probability: float | None
    seed: int | None
    matched: int = Field(description="Requests the rule matched so far, in every process.")
    remaining: Annotated[
        int | None,
        From(_remaining, FaultRule.times, FaultRule.matched),
        Field(description="Matches left before the rule expires; null: no limit (0: expired)."),
    ]
    created_at: Timestamp

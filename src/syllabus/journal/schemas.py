from __future__ import annotations

from pydantic import Field

from syllabus.kit.schemas import ResponseSchema, Timestamp


class JournalEntryRead(ResponseSchema):
    """One request to the site's APIs, and what the client got."""

    id: int
    method: str
    api: str = Field(description='"admin" (/api/public/v1) or "v2" (/api/v2).')
    path: str = Field(description="After the API's prefix, as the client sent it.")
    query: str = Field(description="The query string as sent (empty: none), secrets redacted.")
    status: int | None = Field(
        description="The status the client got; null: the connection closed without an answer "
        "(a drop fault)."
    )
    latency_ms: float = Field(description="From the request's arrival to its answer.")
    credential: str = Field(
        description="What authenticated it: api_key, access_token (a bearer token minted by the "
        "control plane or the CLI) or oauth (an OAuth app's token)."
    )
    fault: str | None = Field(
        description="The action of the fault rule that changed the answer; null: none did."
    )
    request_body: str | None = Field(
        description="The body's start (SYLLABUS_JOURNAL_BODY_BYTES), secrets redacted; null: "
        "none, or none read before the answer."
    )
    request_truncated: bool
    response_body: str | None = Field(description="The answer's start, as request_body.")
    response_truncated: bool
    created_at: Timestamp = Field(description="When it was answered (the wall clock).")

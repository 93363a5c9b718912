"""Responses as Thinkific sends them: JSON bytes encoded once, ``application/json; charset=utf-8``."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response

JSON_MEDIA_TYPE = "application/json; charset=utf-8"


def json_response(
    content: Any, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    if isinstance(content, BaseModel):
        body = content.__pydantic_serializer__.to_json(content)
    else:
        body = orjson.dumps(content)
    return Response(body, status_code=status_code, headers=headers, media_type=JSON_MEDIA_TYPE)


def no_content() -> Response:
    return Response(status_code=204)

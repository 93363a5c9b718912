"""The control plane's app bodies (``/_syllabus/sites/{subdomain}/apps``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from syllabus.kit.schemas import RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.wire import From
from syllabus.models import OAuthApp


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _words(text: str | None) -> list[str]:
    return (text or "").split()


class AppCreate(RequestSchema):
    name: Annotated[str, Field(max_length=255)] | None = Field(
        None, description="Shown on the consent page. Omit for the first redirect URI's host."
    )
    redirect_uris: Annotated[list[Annotated[str, Field(max_length=2000)]], Field(min_length=1)] = (
        Field(description="Absolute http(s) URLs; the first is the default.")
    )
    scopes: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None,
        description="What the app may ask for: read:<resource>, write:<resource> (the Admin "
        "API path's first segment, like read:users), openid, profile, email, site. Omit for "
        "every read and write scope.",
    )


class AppRead(ResponseSchema):
    client_id: str
    name: str
    redirect_uris: Annotated[list[str], From(_lines, OAuthApp.redirect_uris)]
    scopes: Annotated[list[str], From(_words, OAuthApp.scopes)]
    consented_scopes: Annotated[list[str], From(_words, OAuthApp.consented_scopes)] = Field(
        description="What the site approved on the consent page; asking within it skips the page."
    )
    created_at: Timestamp


class AppCreated(AppRead):
    client_secret: str = Field(description="Shown once: only a digest of it is stored.")

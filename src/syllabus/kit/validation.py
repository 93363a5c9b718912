"""Field rules shared by request schemas, with Rails' messages."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

# What Devise's default email regexp accepts: something@something.tld, no spaces.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("can't be blank")
    return value


def _email(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("can't be blank")
    if not EMAIL_PATTERN.match(value):
        raise ValueError("is invalid")
    return value


# min_length=1 documents "not empty" in our OpenAPI; errors.py words it "can't be blank".
Required = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_not_blank)]
Email = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_email)]
# `Required`, as long as a text column allows (a review's text, a script's description).
RequiredLongText = Annotated[
    str, Field(min_length=1, max_length=65_535), AfterValidator(_not_blank)
]

"""Contract exercises for custom profile field definitions (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    exercise,
    site_list,
)
from tests.factories import (
    make_profile_field_definition,
)

exercise("GET /custom_profile_field_definitions")(
    site_list("/custom_profile_field_definitions", make_profile_field_definition)
)

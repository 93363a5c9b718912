"""Fuzzing: schemathesis drives every Admin API and /api/v2 operation of our own OpenAPI with generated
requests, valid and not, authenticated as a real site, on the suite's database (SQLite, and
PostgreSQL with ``SYLLABUS_TEST_DATABASE_URL``). No answer may be a 5xx, and every answer must
be one our document describes (its body schema and headers).

The number of examples per operation is bounded (``FUZZ_EXAMPLES``, default 25) so that the
suite stays fast; raise it locally to search harder.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
)

from syllabus.api import ADMIN_PREFIX
from syllabus.kit.routing import V2_PREFIX
from tests.contract.harness import SERVED
from tests.support import SiteClient, httpx_arguments

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# No crash, and the answer is what our document says it may be. Left out: the checks of which
# requests must be refused (our document does not yet spell out every rule that makes a request
# a 400 or a 422, a NUL in a string say, so they flag correct refusals) and the stateful ones,
# which send requests of their own.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
SITE_APIS = (ADMIN_PREFIX, V2_PREFIX)
SCHEMA = schemathesis.openapi.from_dict(SERVED).include(
    path_regex=f"^({ADMIN_PREFIX}|{V2_PREFIX})/"
)
OPERATIONS = {
    operation.label: operation for operation in (r.ok() for r in SCHEMA.get_all_operations())
}


def test_every_site_api_operation_is_fuzzed() -> None:
    assert "GET /api/public/v1/users" in OPERATIONS
    assert "POST /api/v2/webhooks" in OPERATIONS
    assert len(OPERATIONS) == len(
        [
            method
            for path, methods in SERVED["paths"].items()
            if path.startswith(tuple(prefix + "/" for prefix in SITE_APIS))
            for method in methods
        ]
    )


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_5xx_and_every_answer_is_documented(label: str, site: SiteClient) -> None:
    operation = OPERATIONS[label]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(operation.as_strategy())
    def fuzz(case: Case) -> None:
        request = case.as_transport_kwargs(base_url="http://testserver", headers=site.headers)
        response = site.http.request(**httpx_arguments(request))
        assert response.status_code < 500, f"{case.as_curl_command()}\n{response.text}"
        case.validate_response(
            response,
            checks=CHECKS,
            headers=site.headers,
        )

    fuzz()

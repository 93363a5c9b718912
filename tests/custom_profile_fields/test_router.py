"""HTTP tests for /custom_profile_field_definitions:
https://developers.thinkific.com/api/api-documentation/#/Custom%20Profile%20Field%20Definitions
"""

from __future__ import annotations

import pytest

from tests.courses.helpers import (
    bulk_definitions,
    our_operation,
    our_properties,
    upstream_properties,
)
from tests.factories import make_profile_field_definition
from tests.support import SiteClient, pagination

PATH = "/custom_profile_field_definitions"


class TestListCustomProfileFieldDefinitions:
    def test_empty(self, site: SiteClient) -> None:
        response = site.get(PATH)
        assert response.status_code == 200
        assert response.json() == {
            "items": [],
            "meta": {
                "pagination": {
                    "current_page": 1,
                    "next_page": None,
                    "prev_page": None,
                    "total_pages": 0,
                    "total_items": 0,
                    "entries_info": "0-0 of 0",
                }
            },
        }

    def test_whole_items_in_ascending_id_order(self, site: SiteClient) -> None:
        phone = make_profile_field_definition(
            site, label="Phone", field_type="phone", required=True
        )
        country = make_profile_field_definition(site, label="Country")
        response = site.get(PATH)
        assert response.status_code == 200
        body = response.json()
        assert body == {
            "items": [
                {"id": phone, "label": "Phone", "field_type": "phone", "required": True},
                {"id": country, "label": "Country", "field_type": "text", "required": False},
            ],
            "meta": {"pagination": pagination(1, 25, 2, 2)},
        }
        assert phone < country
        # The spec's CustomProfileFieldDefinitionsResponse order.
        assert list(body["items"][0]) == ["id", "label", "field_type", "required"]

    def test_pages_and_beyond(self, site: SiteClient) -> None:
        ids = [make_profile_field_definition(site) for _ in range(5)]
        second = site.get(PATH, params={"limit": 2, "page": 2}).json()
        assert [d["id"] for d in second["items"]] == ids[2:4]
        assert second["meta"]["pagination"] == {
            "current_page": 2,
            "next_page": 3,
            "prev_page": 1,
            "total_pages": 3,
            "total_items": 5,
            "entries_info": "3-4 of 5",
        }
        beyond = site.get(PATH, params={"limit": 2, "page": 4}).json()
        assert beyond == {"items": [], "meta": {"pagination": pagination(4, 2, 5, 0)}}

    def test_default_limit_is_25(self, site: SiteClient) -> None:
        ids = bulk_definitions(site, 26)
        body = site.get(PATH).json()
        assert [d["id"] for d in body["items"]] == ids[:25]
        assert body["meta"]["pagination"] == pagination(1, 25, 26, 25)
        rest = site.get(PATH, params={"page": 2}).json()
        assert [d["id"] for d in rest["items"]] == ids[25:]

    def test_limit_above_250_is_clamped(self, site: SiteClient) -> None:
        ids = bulk_definitions(site, 251)
        body = site.get(PATH, params={"limit": 251}).json()
        assert [d["id"] for d in body["items"]] == ids[:250]
        assert body["meta"]["pagination"] == pagination(1, 250, 251, 250)

    @pytest.mark.parametrize("page", ["0", "-1", "first"])
    def test_unusable_page_means_page_1(self, site: SiteClient, page: str) -> None:
        ids = [make_profile_field_definition(site) for _ in range(2)]
        body = site.get(PATH, params={"page": page, "limit": 1}).json()
        assert [d["id"] for d in body["items"]] == ids[:1]
        assert body["meta"]["pagination"] == pagination(1, 1, 2, 1)

    def test_other_sites_definitions_are_invisible(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_profile_field_definition(other_site, label="Theirs")
        mine = make_profile_field_definition(site, label="Mine")
        body = site.get(PATH).json()
        assert [d["id"] for d in body["items"]] == [mine]
        assert body["meta"]["pagination"]["total_items"] == 1


class TestAuthentication:
    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"X-Auth-API-Key": "0" * 32},
            {"X-Auth-Subdomain": "nobody"},
            {"Authorization": "Bearer nope"},
        ],
    )
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1" + PATH, headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Authentication Error"}


class TestOpenApi:
    def test_documents_the_operation_and_its_response(self, site: SiteClient) -> None:
        operation = our_operation(site, PATH)
        assert operation["operationId"] == "getCustomProfileFields"
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Page_CustomProfileFieldDefinitionRead_"
        items = our_properties(site, ref)
        assert items == ["items", "meta"]
        assert our_properties(
            site, "#/components/schemas/CustomProfileFieldDefinitionRead"
        ) == upstream_properties("CustomProfileFieldDefinitionsResponse")

"""HTTP tests for /custom_profile_field_definitions:
https://developers.thinkific.com/api/api-documentation/#/Custom%20Profile%20Field%20Definitions
"""

from __future__ import annotations

import pytest

from tests.courses.helpers import (
    bulk_definitions,
    check_documented_get,
    our_properties,
    upstream_properties,
)
from tests.factories import make_profile_field_definition
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    pagination,
)

PATH = "/custom_profile_field_definitions"


class TestListCustomProfileFieldDefinitions:
    def test_empty(self, site: SiteClient) -> None:
        assert_answers(site.get(PATH), 200, EMPTY_PAGE)

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
        assert_five_by_two(site, PATH, ids)

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
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1" + PATH, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestOpenApi:
    def test_documents_the_operation_and_its_response(self, site: SiteClient) -> None:
        page = "Page_CustomProfileFieldDefinitionRead_"
        check_documented_get(site, PATH, "getCustomProfileFields", page)
        assert our_properties(site, f"#/components/schemas/{page}") == ["items", "meta"]
        assert our_properties(
            site, "#/components/schemas/CustomProfileFieldDefinitionRead"
        ) == upstream_properties("CustomProfileFieldDefinitionsResponse")

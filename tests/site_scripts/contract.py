"""Contract exercises for site scripts (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NOT_AN_OBJECT, Contract, exercise
from tests.site_scripts.helpers import (
    CONTENT,
    CONTENT_REQUEST,
    INVALID_HEADER,
    INVALID_SOURCE,
    MISSING_HEADER,
    MISSING_INPUT,
    NO_SUCH_SCRIPT,
    SIGNATURE,
    SRC_REQUEST,
    new_script,
    signed,
    stored_scripts,
)

NO_SOURCE = {key: value for key, value in SRC_REQUEST.items() if key != "src"}


def refusals(c: Contract, path: str) -> None:
    """The spec's four 422s for a write's source, a field's 422 and the 400."""
    c.call(422, path, json=NO_SOURCE, expect=MISSING_INPUT)
    c.call(422, path, json={**SRC_REQUEST, "src": "script.js"}, expect=INVALID_SOURCE)
    c.call(422, path, json=CONTENT_REQUEST, expect=MISSING_HEADER)
    wrong = {SIGNATURE: "f" * 64}
    c.call(422, path, json=CONTENT_REQUEST, headers=wrong, expect=INVALID_HEADER)
    blank = {"errors": {"category": ["can't be blank"]}}
    c.call(422, path, json={**SRC_REQUEST, "category": None}, expect=blank)
    c.call(400, path, json=[SRC_REQUEST], expect=NOT_AN_OBJECT)


@exercise("GET /site_scripts")
def list_site_scripts(c: Contract) -> None:
    ids = [new_script(c.site) for _ in range(3)]
    new_script(c.other_site)
    c.page_through("/site_scripts", ids)  # type: ignore[arg-type]
    c.unauthorized("/site_scripts")


@exercise("POST /site_scripts")
def create_site_script(c: Contract) -> None:
    body = c.call(201, "/site_scripts", json=CONTENT_REQUEST, headers=signed(c.site)).json()
    script = body["site_script"]
    assert (script["content"], script["src"]) == (CONTENT, None)
    assert c.site.get(f"/site_scripts/{script['id']}").json() == body
    refusals(c, "/site_scripts")
    c.unauthorized("/site_scripts", json=SRC_REQUEST)
    assert len(stored_scripts(c.site)) == 1


@exercise("GET /site_scripts/{id}")
def get_site_script(c: Contract) -> None:
    id = new_script(c.site)
    assert c.call(200, f"/site_scripts/{id}").json()["site_script"]["id"] == id
    c.call(404, f"/site_scripts/{NO_SUCH_SCRIPT}")
    c.call(404, f"/site_scripts/{new_script(c.other_site)}")
    c.unauthorized(f"/site_scripts/{id}")


@exercise("PUT /site_scripts/{id}")
def update_site_script(c: Contract) -> None:
    id = new_script(c.site)
    path = f"/site_scripts/{id}"
    c.unauthorized(path, json={**SRC_REQUEST, "name": "Renamed"})
    response = c.call(204, path, json={**SRC_REQUEST, "name": "Renamed"})
    assert response.content == b""
    assert c.site.get(path).json()["site_script"]["name"] == "Renamed"
    refusals(c, path)
    c.call(404, f"/site_scripts/{NO_SUCH_SCRIPT}", json=SRC_REQUEST)


@exercise("DELETE /site_scripts/{id}")
def delete_site_script(c: Contract) -> None:
    id = new_script(c.site)
    c.unauthorized(f"/site_scripts/{id}")
    assert c.call(204, f"/site_scripts/{id}").content == b""
    c.call(404, f"/site_scripts/{id}")
    c.call(404, f"/site_scripts/{new_script(c.other_site)}")
    assert stored_scripts(c.site) == []

from __future__ import annotations

from syllabus.enrollments.schemas import EnrollmentUpdate, LenientId
from syllabus.kit.schemas import ResponseSchema


class BundleRead(ResponseSchema):
    """The spec's BundleResponse plus ``slug``, in the live API's key order (FIDELITY §6.6)."""

    id: int
    name: str
    description: str | None
    banner_image_url: str | None
    course_ids: list[int]
    bundle_card_image_url: str | None
    tagline: str | None
    slug: str


class BundleEnrollmentRequest(EnrollmentUpdate):
    """The body of both POST and PUT /bundles/{id}/enrollments, as the spec gives it: the user,
    parsed as ``EnrollmentCreate`` parses it (a missing or unknown one is the enrollments'
    list-form 422, checked by the service), and ``EnrollmentUpdate``'s dates. POST enrolls with
    them (no ``activated_at``: free trials); PUT changes only the dates present."""

    user_id: LenientId = None

"""What ``syllabus seed`` adds around the people and their courses: group analysts, course
reviews, a site script, and a product waiting to be published.

Drawn from the seeder's random stream after everything else (so the rest of the seeded data is
what it was), written as Core inserts, recording no events, as everything seeding writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from syllabus.models import (
    CourseReview,
    Group,
    Product,
    ProductPublishRequest,
    SiteScript,
    User,
    group_analysts,
)
from syllabus.models.site_script import new_script_id
from syllabus.seed.commerce import Bought, Seeder

REVIEWS = 20
TITLES = {
    5: ("Excellent course", "Exactly what I needed", "Highly recommended"),
    4: ("Very good", "Clear and practical", "Worth the time"),
    3: ("Good overall", "Useful, a bit long", "Decent introduction"),
}


@dataclass(frozen=True)
class People:
    group_analysts: int
    reviews: int
    site_scripts: int
    publish_requests: int


def seed_people(
    seeder: Seeder,
    user_ids: list[int],
    course_ids: list[int],
    course_products: list[int],
    bought: list[Bought],
) -> People:
    return People(
        _analysts(seeder, user_ids),
        _reviews(seeder, course_ids, bought),
        _script(seeder, bool(course_ids)),
        _publish_request(seeder, user_ids, course_products),
    )


def _analysts(seeder: Seeder, user_ids: list[int]) -> int:
    """The seeded group analysts each analyze up to two of the site's groups."""
    session, site = seeder.session, seeder.site.id
    analysts = _seeded_with_role(seeder, user_ids, "group_analyst")
    groups = sorted(session.scalars(select(Group.id).where(Group.site_id == site)))
    rows = [
        {"group_id": group, "user_id": analyst}
        for analyst in analysts
        for group in seeder.rng.sample(groups, min(2, len(groups)))
    ]
    seeder.insert(group_analysts, rows)
    return len(rows)


def _seeded_with_role(seeder: Seeder, user_ids: list[int], role: str) -> list[int]:
    """This seed's users (``user_ids``) with ``role``, in id order. No IN list of them: a seed
    of 100,000 users took it past PostgreSQL's 65,535 parameters."""
    seeded = set(user_ids)
    holders = seeder.session.scalars(
        select(User.id).where(User.site_id == seeder.site.id, User.roles_text.contains(f",{role},"))
    )
    return sorted(id for id in holders if id in seeded)


def _reviews(seeder: Seeder, course_ids: list[int], bought: list[Bought]) -> int:
    """Some buyers review what they bought: three to five stars, most approved."""
    rng = seeder.rng
    rows = []
    for purchase in rng.sample(bought, min(REVIEWS, len(bought))):
        rating = rng.choice((3, 4, 4, 5, 5, 5))
        rows.append(
            seeder.row(
                purchase.activated_at + timedelta(days=rng.randint(1, 20)),
                course_id=course_ids[purchase.course],
                user_id=purchase.user_id,
                rating=rating,
                title=rng.choice(TITLES[rating]),
                review_text="The lessons were clear and the exercises made it stick.",
                approved=rng.random() < 0.8,
            )
        )
    seeder.insert(CourseReview, rows)
    return len(rows)


def _script(seeder: Seeder, any_course: bool) -> int:
    """An analytics app's tracking script on every page."""
    if not any_course:
        return 0
    seeder.insert(
        SiteScript,
        [
            seeder.row(
                seeder.now - timedelta(days=30),
                script_id=new_script_id(),
                name="Example Analytics",
                description="Counts visits to the site's pages for the Example Analytics app.",
                src="https://analytics.example.com/tracker.js",
                content=None,
                page_scopes=["all"],
                location="footer",
                load_method="async",
                category="analytics",
            )
        ],
    )
    return 1


def _publish_request(seeder: Seeder, user_ids: list[int], course_products: list[int]) -> int:
    """The last course's product is a draft that a course admin asked to publish."""
    if len(course_products) < 3:
        return 0
    product = course_products[-1]
    seeder.session.execute(update(Product).where(Product.id == product).values(status="draft"))
    admins = _seeded_with_role(seeder, user_ids, "course_admin")
    admin = admins[0] if admins else None
    seeder.insert(
        ProductPublishRequest,
        [
            seeder.row(
                seeder.now - timedelta(days=2),
                product_id=product,
                status="pending",
                requesting_user_id=admin,
                notify_requester=True,
            )
        ],
    )
    return 1

"""Foundation: sites, credentials, users, courses, chapters, contents, products, enrollments, groups, events.

Revision ID: 8ab123398e11
Revises:
Create Date: 2026-11-26 16:13:44.710165
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8ab123398e11"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "sites",
        sa.Column("subdomain", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("global_id", sa.String(length=36), nullable=False),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("global_id", name=op.f("uq_sites_global_id")),
        sa.UniqueConstraint("subdomain", name=op.f("uq_sites_subdomain")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "credentials",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("scopes", sa.String(length=2000), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_credentials_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_credentials_token_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.create_index("ix_credentials_site_id_kind", ["site_id", "kind"], unique=False)

    op.create_table(
        "custom_profile_field_definitions",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("field_type", sa.String(length=32), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_custom_profile_field_definitions_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_profile_field_definitions")),
        sa.UniqueConstraint(
            "site_id", "label", name=op.f("uq_custom_profile_field_definitions_site_id_label")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("custom_profile_field_definitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_custom_profile_field_definitions_site_id_id", ["site_id", "id"], unique=False
        )

    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_events_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "groups",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("token", sa.String(length=8), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_groups_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("site_id", "name", name=op.f("uq_groups_site_id_name")),
        sa.UniqueConstraint("token", name=op.f("uq_groups_token")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.create_index("ix_groups_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "products",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("productable_type", sa.String(length=32), nullable=False),
        sa.Column(
            "productable_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("price", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("subscription", sa.Boolean(), nullable=False),
        sa.Column("days_until_expiry", sa.Integer(), nullable=True),
        sa.Column("has_certificate", sa.Boolean(), nullable=False),
        sa.Column("keywords", sa.String(length=1024), nullable=True),
        sa.Column("seo_title", sa.String(length=255), nullable=True),
        sa.Column("seo_description", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("card_image_url", sa.String(length=2048), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_products_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_productable", ["productable_type", "productable_id"], unique=False
        )
        batch_op.create_index("ix_products_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "users",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("email_key", sa.String(length=255), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=False),
        sa.Column("last_name", sa.String(length=255), nullable=False),
        sa.Column("company", sa.String(length=255), nullable=True),
        sa.Column("roles_text", sa.String(length=255), nullable=False),
        sa.Column("avatar_url", sa.String(length=2048), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("headline", sa.String(length=255), nullable=True),
        sa.Column("affiliate_code", sa.String(length=255), nullable=True),
        sa.Column("affiliate_commission", sa.String(length=40), nullable=True),
        sa.Column("affiliate_commission_type", sa.String(length=8), nullable=True),
        sa.Column("affiliate_payout_email", sa.String(length=255), nullable=True),
        sa.Column("external_source", sa.String(length=255), nullable=True),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_users_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("site_id", "email_key", name=op.f("uq_users_site_id_email_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            "ix_users_site_id_external_source", ["site_id", "external_source"], unique=False
        )
        batch_op.create_index("ix_users_site_id_id", ["site_id", "id"], unique=False)
        batch_op.create_index(
            "ix_users_site_id_provider_external_id",
            ["site_id", "provider", "external_id"],
            unique=False,
        )

    op.create_table(
        "custom_profile_fields",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "custom_profile_field_definition_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_profile_field_definition_id"],
            ["custom_profile_field_definitions.id"],
            name=op.f(
                "fk_custom_profile_fields_custom_profile_field_definition_id_custom_profile_field_definitions"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_custom_profile_fields_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_custom_profile_fields_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_profile_fields")),
        sa.UniqueConstraint(
            "user_id",
            "custom_profile_field_definition_id",
            name=op.f("uq_custom_profile_fields_user_id_custom_profile_field_definition_id"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("custom_profile_fields", schema=None) as batch_op:
        batch_op.create_index(
            "ix_custom_profile_fields_definition_id",
            ["custom_profile_field_definition_id"],
            unique=False,
        )

    op.create_table(
        "group_memberships",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_memberships_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_group_memberships_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_group_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_memberships")),
        sa.UniqueConstraint(
            "group_id", "user_id", name=op.f("uq_group_memberships_group_id_user_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.create_index("ix_group_memberships_user_id", ["user_id"], unique=False)

    op.create_table(
        "instructors",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("first_name", sa.String(length=255), nullable=False),
        sa.Column("last_name", sa.String(length=255), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("avatar_url", sa.String(length=2048), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_instructors_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_instructors_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instructors")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.create_index("ix_instructors_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "courses",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("subtitle", sa.String(length=255), nullable=True),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("course_card_text", sa.Text(), nullable=True),
        sa.Column("intro_video_youtube", sa.String(length=255), nullable=True),
        sa.Column("contact_information", sa.String(length=1024), nullable=True),
        sa.Column("keywords", sa.String(length=1024), nullable=True),
        sa.Column("duration", sa.String(length=64), nullable=True),
        sa.Column("banner_image_url", sa.String(length=2048), nullable=True),
        sa.Column("course_card_image_url", sa.String(length=2048), nullable=True),
        sa.Column("intro_video_wistia_identifier", sa.String(length=255), nullable=True),
        sa.Column("reviews_enabled", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "instructor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instructor_id"],
            ["instructors.id"],
            name=op.f("fk_courses_instructor_id_instructors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_courses_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_courses_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_courses_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("product_id", name=op.f("uq_courses_product_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_courses_instructor_id"), ["instructor_id"], unique=False
        )
        batch_op.create_index("ix_courses_site_id_id", ["site_id", "id"], unique=False)
        batch_op.create_index("ix_courses_site_id_slug", ["site_id", "slug"], unique=False)

    op.create_table(
        "chapters",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "course_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("duration_in_seconds", sa.Integer(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_chapters_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_chapters_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chapters")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("chapters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_chapters_course_id_position", ["course_id", "position"], unique=False
        )
        batch_op.create_index("ix_chapters_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "course_admins",
        sa.Column(
            "course_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_admins_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_course_admins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", "user_id", name=op.f("pk_course_admins")),
    )
    with op.batch_alter_table("course_admins", schema=None) as batch_op:
        batch_op.create_index("ix_course_admins_user_id", ["user_id"], unique=False)

    op.create_table(
        "enrollments",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "course_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("expiry_date", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("percentage_completed", sa.Double(), nullable=False),
        sa.Column("is_free_trial", sa.Boolean(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_enrollments_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_enrollments_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_enrollments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_enrollments_user_id_course_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index("ix_enrollments_course_id", ["course_id"], unique=False)
        batch_op.create_index(
            "ix_enrollments_site_id_course_id_id", ["site_id", "course_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_enrollments_site_id_created_at", ["site_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_enrollments_site_id_id", ["site_id", "id"], unique=False)
        batch_op.create_index(
            "ix_enrollments_site_id_updated_at", ["site_id", "updated_at"], unique=False
        )
        batch_op.create_index(
            "ix_enrollments_site_id_user_id_id", ["site_id", "user_id", "id"], unique=False
        )

    op.create_table(
        "contents",
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "chapter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "course_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contentable_type", sa.String(length=32), nullable=False),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"],
            ["chapters.id"],
            name=op.f("fk_contents_chapter_id_chapters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_contents_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_contents_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contents")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("contents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contents_chapter_id_position", ["chapter_id", "position"], unique=False
        )
        batch_op.create_index("ix_contents_course_id", ["course_id"], unique=False)
        batch_op.create_index("ix_contents_site_id_id", ["site_id", "id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("contents", schema=None) as batch_op:
        batch_op.drop_index("ix_contents_site_id_id")
        batch_op.drop_index("ix_contents_course_id")
        batch_op.drop_index("ix_contents_chapter_id_position")

    op.drop_table("contents")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrollments_site_id_user_id_id")
        batch_op.drop_index("ix_enrollments_site_id_updated_at")
        batch_op.drop_index("ix_enrollments_site_id_id")
        batch_op.drop_index("ix_enrollments_site_id_created_at")
        batch_op.drop_index("ix_enrollments_site_id_course_id_id")
        batch_op.drop_index("ix_enrollments_course_id")

    op.drop_table("enrollments")
    with op.batch_alter_table("course_admins", schema=None) as batch_op:
        batch_op.drop_index("ix_course_admins_user_id")

    op.drop_table("course_admins")
    with op.batch_alter_table("chapters", schema=None) as batch_op:
        batch_op.drop_index("ix_chapters_site_id_id")
        batch_op.drop_index("ix_chapters_course_id_position")

    op.drop_table("chapters")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index("ix_courses_site_id_slug")
        batch_op.drop_index("ix_courses_site_id_id")
        batch_op.drop_index(batch_op.f("ix_courses_instructor_id"))

    op.drop_table("courses")
    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.drop_index("ix_instructors_site_id_id")

    op.drop_table("instructors")
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_group_memberships_user_id")

    op.drop_table("group_memberships")
    with op.batch_alter_table("custom_profile_fields", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_profile_fields_definition_id")

    op.drop_table("custom_profile_fields")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_site_id_provider_external_id")
        batch_op.drop_index("ix_users_site_id_id")
        batch_op.drop_index("ix_users_site_id_external_source")

    op.drop_table("users")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_site_id_id")
        batch_op.drop_index("ix_products_productable")

    op.drop_table("products")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index("ix_groups_site_id_id")

    op.drop_table("groups")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_site_id_id")

    op.drop_table("events")
    with op.batch_alter_table("custom_profile_field_definitions", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_profile_field_definitions_site_id_id")

    op.drop_table("custom_profile_field_definitions")
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_index("ix_credentials_site_id_kind")

    op.drop_table("credentials")
    op.drop_table("sites")

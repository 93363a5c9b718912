"""Index every foreign key column that no index leads (models/base.py: index_foreign_keys).

PostgreSQL indexes no foreign key by itself: deleting a user, resetting a site or restoring a
snapshot scanned every table that refers to the rows.

Revision ID: 34ce4ba521ac
Revises: b11a00000002
Create Date: 2026-11-30 11:34:01.484615
"""

from collections.abc import Sequence

from alembic import op

revision: str = "34ce4ba521ac"
down_revision: str | None = "b11a00000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_course_reviews_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index("ix_courses_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("custom_profile_fields", schema=None) as batch_op:
        batch_op.create_index("ix_custom_profile_fields_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("external_order_transactions", schema=None) as batch_op:
        batch_op.create_index("ix_external_order_transactions_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("external_orders", schema=None) as batch_op:
        batch_op.create_index("ix_external_orders_product_id", ["product_id"], unique=False)
        batch_op.create_index("ix_external_orders_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.create_index("ix_group_memberships_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.create_index("ix_instructors_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("oauth_codes", schema=None) as batch_op:
        batch_op.create_index("ix_oauth_codes_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index("ix_order_items_product_id", ["product_id"], unique=False)
        batch_op.create_index("ix_order_items_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_coupon_id", ["coupon_id"], unique=False)

    with op.batch_alter_table("product_prices", schema=None) as batch_op:
        batch_op.create_index("ix_product_prices_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("product_publish_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_publish_requests_product_id", ["product_id"], unique=False
        )
        batch_op.create_index(
            "ix_product_publish_requests_requesting_user_id", ["requesting_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_product_publish_requests_responding_user_id", ["responding_user_id"], unique=False
        )

    with op.batch_alter_table("webhook_delivery_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_delivery_attempts_site_id", ["site_id"], unique=False)

    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.create_index("ix_webhooks_app_id", ["app_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_index("ix_webhooks_app_id")

    with op.batch_alter_table("webhook_delivery_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_delivery_attempts_site_id")

    with op.batch_alter_table("product_publish_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_product_publish_requests_responding_user_id")
        batch_op.drop_index("ix_product_publish_requests_requesting_user_id")
        batch_op.drop_index("ix_product_publish_requests_product_id")

    with op.batch_alter_table("product_prices", schema=None) as batch_op:
        batch_op.drop_index("ix_product_prices_site_id")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_coupon_id")

    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index("ix_order_items_site_id")
        batch_op.drop_index("ix_order_items_product_id")

    with op.batch_alter_table("oauth_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_oauth_codes_site_id")

    with op.batch_alter_table("instructors", schema=None) as batch_op:
        batch_op.drop_index("ix_instructors_user_id")

    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_group_memberships_site_id")

    with op.batch_alter_table("external_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_external_orders_user_id")
        batch_op.drop_index("ix_external_orders_product_id")

    with op.batch_alter_table("external_order_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_external_order_transactions_site_id")

    with op.batch_alter_table("custom_profile_fields", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_profile_fields_site_id")

    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index("ix_courses_user_id")

    with op.batch_alter_table("course_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_course_reviews_user_id")

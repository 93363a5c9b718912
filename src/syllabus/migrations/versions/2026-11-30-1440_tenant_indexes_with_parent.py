"""A site's index goes with the row's parent column: ``(site_id, parent)``, not ``(site_id)``.

On its own, an index of ``site_id`` is a trap for SQLite's planner (no statistics): for
``site_id = ? AND user_id IN (...)`` it took the site's index and read every custom profile field
of the site to render one user (models/base.py: index_foreign_keys).

Revision ID: c10a00000001
Revises: 34ce4ba521ac
Create Date: 2026-11-30 14:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c10a00000001"
down_revision: str | None = "34ce4ba521ac"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARENTS = {
    "custom_profile_fields": "user_id",
    "external_order_transactions": "external_order_id",
    "group_memberships": "group_id",
    "oauth_codes": "code_hash",
    "order_items": "order_id",
    "product_prices": "product_id",
    "webhook_delivery_attempts": "delivery_id",
}


def upgrade() -> None:
    for table, parent in PARENTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_site_id")
            batch_op.create_index(f"ix_{table}_site_id_{parent}", ["site_id", parent], unique=False)


def downgrade() -> None:
    for table, parent in PARENTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_site_id_{parent}")
            batch_op.create_index(f"ix_{table}_site_id", ["site_id"], unique=False)

"""lesson progress: the contents an enrollment completed, and its quiz attempts

Revision ID: a286ae86b03f
Revises: 90daf5dc3981
Create Date: 2026-11-30 07:29:14.450456
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a286ae86b03f"
down_revision: str | None = "90daf5dc3981"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lesson_completions",
        sa.Column(
            "enrollment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "content_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("completed_at", sa.DateTime(), nullable=False),
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["contents.id"],
            name=op.f("fk_lesson_completions_content_id_contents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_lesson_completions_enrollment_id_enrollments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_lesson_completions_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_completions")),
        sa.UniqueConstraint(
            "enrollment_id",
            "content_id",
            name=op.f("uq_lesson_completions_enrollment_id_content_id"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lesson_completions", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_completions_content_id", ["content_id"], unique=False)
        batch_op.create_index("ix_lesson_completions_site_id_id", ["site_id", "id"], unique=False)

    op.create_table(
        "quiz_attempts",
        sa.Column(
            "enrollment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "content_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("correct_count", sa.Integer(), nullable=False),
        sa.Column("incorrect_count", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["contents.id"],
            name=op.f("fk_quiz_attempts_content_id_contents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_quiz_attempts_enrollment_id_enrollments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_quiz_attempts_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_attempts_content_id", ["content_id"], unique=False)
        batch_op.create_index(
            "ix_quiz_attempts_enrollment_id_content_id",
            ["enrollment_id", "content_id"],
            unique=False,
        )
        batch_op.create_index("ix_quiz_attempts_site_id_id", ["site_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_attempts_site_id_id")
        batch_op.drop_index("ix_quiz_attempts_enrollment_id_content_id")
        batch_op.drop_index("ix_quiz_attempts_content_id")

    op.drop_table("quiz_attempts")
    with op.batch_alter_table("lesson_completions", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_completions_site_id_id")
        batch_op.drop_index("ix_lesson_completions_content_id")

    op.drop_table("lesson_completions")

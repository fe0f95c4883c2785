"""Members' review: their word on each activity kept apart from what was read (activity_reviews), activities
entered by hand (activities.upload_id may be NULL), the review state as a column counted on, the audit log,
and the titles members confirmed as matcher exemplars.

Revision ID: 0003_review
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_review"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:  # SQLite: the table is copied, its keys and indexes kept
        batch.alter_column("upload_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("review_state", sa.String(16), nullable=True))
    op.create_table(
        "activity_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("by", sa.String(160), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_activity_reviews_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_activity_reviews"),
        sa.UniqueConstraint("member_id", "activity_id", name="uq_activity_reviews_member_activity"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(160), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(128), nullable=True),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_table(
        "exemplars",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("responsibility", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("approved_by", sa.String(160), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_exemplars_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_exemplars"),
    )
    op.create_index("ix_exemplars_member_id", "exemplars", ["member_id"])


def downgrade() -> None:
    op.drop_table("exemplars")
    op.drop_table("audit_log")
    op.drop_table("activity_reviews")
    op.execute("DELETE FROM activities WHERE upload_id IS NULL")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("review_state")
        batch.alter_column("upload_id", existing_type=sa.Integer(), nullable=False)

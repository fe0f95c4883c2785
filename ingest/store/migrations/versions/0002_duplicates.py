"""Duplicates across uploads: activities.duplicate_of / duplicate_reason, and the members' decisions on pairs.

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-01
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:  # nullable columns: a plain ALTER TABLE ADD on SQLite too
        batch.add_column(sa.Column("duplicate_of", sa.String(64), nullable=True))
        batch.add_column(sa.Column("duplicate_reason", sa.Text(), nullable=True))
    op.create_index("ix_activities_member_duplicate_of", "activities", ["member_id", "duplicate_of"])
    op.create_table(
        "duplicate_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("other_id", sa.String(64), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_duplicate_decisions_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_decisions"),
        sa.UniqueConstraint("member_id", "activity_id", "other_id", name="uq_duplicate_decisions_pair"),
    )


def downgrade() -> None:
    op.drop_table("duplicate_decisions")
    op.drop_index("ix_activities_member_duplicate_of", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("duplicate_reason")
        batch.drop_column("duplicate_of")

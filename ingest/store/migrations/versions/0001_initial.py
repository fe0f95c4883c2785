"""The first schema: members, uploads, activities, tokens.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("role", sa.JSON(), nullable=True),
        sa.Column("role_hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("extractor", sa.String(32), nullable=True),
        sa.Column("extractor_version", sa.String(32), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("enqueued_at", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_uploads_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
        sa.UniqueConstraint("member_id", "sha256", name="uq_uploads_member_sha256"),
    )
    op.create_index("ix_uploads_member_id", "uploads", ["member_id"])
    op.create_index("ix_uploads_state_id", "uploads", ["state", "id"])
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("activity_type", sa.String(32), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("cpd_hours", sa.Float(), nullable=True),
        sa.Column("verifiable", sa.Boolean(), nullable=True),
        sa.Column("ethics_related", sa.Boolean(), nullable=False),
        sa.Column("role_hash", sa.String(64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_activities_member_id_members"),
        sa.ForeignKeyConstraint(["upload_id"], ["uploads.id"], name="fk_activities_upload_id_uploads",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
        sa.UniqueConstraint("member_id", "activity_id", name="uq_activities_member_activity"),
    )
    op.create_index("ix_activities_upload_id", "activities", ["upload_id"])
    op.create_index("ix_activities_member_completed", "activities", ["member_id", "completed_on"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("member_id", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_tokens_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_tokens_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("tokens")
    op.drop_index("ix_activities_member_completed", table_name="activities")
    op.drop_index("ix_activities_upload_id", table_name="activities")
    op.drop_table("activities")
    op.drop_index("ix_uploads_state_id", table_name="uploads")
    op.drop_index("ix_uploads_member_id", table_name="uploads")
    op.drop_table("uploads")
    op.drop_table("members")

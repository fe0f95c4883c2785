"""The audit year: members.working, audit_cycles, audit_requests, audit_events (ingest/store/audit_rows.py).

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_audit"
down_revision: Union[str, None] = "0003_review"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # every member known so far counts as working; a plain ALTER TABLE ADD (with its default) on SQLite too,
    # where batch mode would copy and drop the members table, which other tables' foreign keys refer to
    op.add_column("members", sa.Column("working", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "audit_cycles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("excluded", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.String(128), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_cycles"),
        sa.UniqueConstraint("year", "number", name="uq_audit_cycles_year_number"),
    )
    op.create_table(
        "audit_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(128), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("pack_sha256", sa.String(64), nullable=True),
        sa.Column("pack_size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_audit_requests_member_id_members"),
        sa.ForeignKeyConstraint(["cycle_id"], ["audit_cycles.id"], name="fk_audit_requests_cycle_id_audit_cycles"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_requests"),
    )
    op.create_index("ix_audit_requests_member_id", "audit_requests", ["member_id"])
    op.create_index("ix_audit_requests_cycle_id", "audit_requests", ["cycle_id"])
    op.create_index("ix_audit_requests_state_due", "audit_requests", ["state", "due_on"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(24), nullable=True),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["audit_requests.id"],
                                name="fk_audit_events_request_id_audit_requests"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_request_id", "audit_events", ["request_id"])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("audit_requests")
    op.drop_table("audit_cycles")
    op.execute("ALTER TABLE members DROP COLUMN working")  # in place (SQLite 3.35+, PostgreSQL), as above

"""Quick recovery and duplicate detection apart from the read: who holds a lease, an upload whose links are
still to be made, and a member's version (bumped by every locked write) for optimistic duplicate detection.

    uploads.lease_holder    "host:pid:start" of the process holding the lease; a holder on this host that is
                            no longer alive gives the upload back at once (leases.sweep)
    uploads.links_pending   its activities are stored and its duplicates not yet linked (the step after the read)
    members.version         bumped by ingest.store.lock_member: duplicates are found without the lock, then
                            written only if the member's version is still the one read

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_leases"
down_revision: Union[str, None] = "0004_audit"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, also on SQLite: a batch "move and copy" of uploads would drop the old table,
    # and with it (ON DELETE CASCADE) every activity.
    op.add_column("uploads", sa.Column("lease_holder", sa.String(255), nullable=True))
    op.add_column("uploads", sa.Column("links_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("members", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("members", "version")        # ALTER TABLE DROP COLUMN (SQLite 3.35 and later)
    op.drop_column("uploads", "links_pending")
    op.drop_column("uploads", "lease_holder")

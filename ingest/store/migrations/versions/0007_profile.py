"""The member profile's display name: the name a file's learner column is matched to (issue 13 item 6).

Revision ID: 0007
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_profile"
down_revision: Union[str, None] = "0006_tokens"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:  # a nullable column: a plain ALTER TABLE ADD on SQLite too
        batch.add_column(sa.Column("display_name", sa.String(200), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "display_name")  # in place (SQLite 3.35+): a batch copy would drop `members`

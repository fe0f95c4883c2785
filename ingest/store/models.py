"""The service's tables (SQLAlchemy 2). Portable column types only: SQLite by default, PostgreSQL at scale.

    members     a member, the role profile their activities are matched against, and their display name
    uploads     one file a member uploaded (bytes in the blob store by sha256) and where its processing is
    activities  the normalised activities read from an upload; the contract's JSON whole in `data`,
                the fields the portal filters on as columns; unique per member on `activity_id`;
                `duplicate_of` links the same activity read again from another upload (ingest/year/duplicates.py)
    duplicate_decisions  the member's own word on a pair: linked, or "not the same" (kept across reprocessing)
    tokens      bearer tokens, stored as their sha256 only

Times are naive UTC. The schema changes only through migrations (ingest/store/migrations).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "MemberRow", "UploadRow", "ActivityRow", "DuplicateDecisionRow", "TokenRow", "utcnow", "QUEUED",
           "PROCESSING", "DONE", "FAILED", "STATES", "State"]

QUEUED, PROCESSING, DONE, FAILED = "queued", "processing", "done", "failed"
STATES = (QUEUED, PROCESSING, DONE, FAILED)
State = Literal["queued", "processing", "done", "failed"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, in naive UTC (the time every column holds)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    """The tables' declarative base, with the naming convention the migrations use."""

    metadata = MetaData(naming_convention=NAMING)


class MemberRow(Base):
    """A member, and the role profile their activities are matched against (with its hash)."""

    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    role_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # The member's name as files write it (migration 0007): a file's learner is matched to it, and activities of
    # another learner are kept out of the member's year (ingest/year/summary.py). None: not given.
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)


class UploadRow(Base):
    """One file a member uploaded: its bytes' sha256 (the blob's name) and where its processing is."""

    __tablename__ = "uploads"
    __table_args__ = (
        UniqueConstraint("member_id", "sha256", name="uq_uploads_member_sha256"),
        Index("ix_uploads_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str | None] = mapped_column(String(255), nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)  # the latest transient failure
    extractor: Mapped[str | None] = mapped_column(String(32), nullable=True)
    extractor_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    warnings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ActivityRow(Base):
    """One normalised activity read from an upload: the contract's JSON whole, and the columns filtered on."""

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("member_id", "activity_id", name="uq_activities_member_activity"),
        Index("ix_activities_member_completed", "member_id", "completed_on"),
        Index("ix_activities_member_duplicate_of", "member_id", "duplicate_of"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    activity_id: Mapped[str] = mapped_column(String(64))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    activity_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    cpd_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    verifiable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    ethics_related: Mapped[bool] = mapped_column(Boolean, default=False)
    role_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the role it was matched to
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    duplicate_of: Mapped[str | None] = mapped_column(String(64), nullable=True)  # activity_id of the first read
    duplicate_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DuplicateDecisionRow(Base):
    """A member's decision on a pair of their activities (by activity_id, stable across reprocessing)."""

    __tablename__ = "duplicate_decisions"
    __table_args__ = (UniqueConstraint("member_id", "activity_id", "other_id", name="uq_duplicate_decisions_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    activity_id: Mapped[str] = mapped_column(String(64))
    other_id: Mapped[str] = mapped_column(String(64))
    linked: Mapped[bool] = mapped_column(Boolean)  # True: a duplicate of other_id; False: not the same activity
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TokenRow(Base):
    """A bearer token, kept only as its sha256."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # member / admin / portal
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

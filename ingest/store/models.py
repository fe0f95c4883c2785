"""The service's tables (SQLAlchemy 2). Portable column types only: SQLite by default, PostgreSQL at scale.

    members     a member, the role profile their activities are matched against, and their display name
    uploads     one file a member uploaded (bytes in the blob store by sha256) and where its processing is
    activities  the normalised activities read from an upload; the contract's JSON whole in `data`,
                the fields the portal filters on as columns; unique per member on `activity_id`;
                `duplicate_of` links the same activity read again from another upload (ingest/year/duplicates.py)
    duplicate_decisions  the member's own word on a pair: linked, or "not the same" (kept across reprocessing)
    tokens      bearer tokens, stored as their sha256 only; optionally expiring, revocable, last use kept
    activity_reviews  the member's word on an activity (confirmed / edited / rejected, the values they set), kept
                apart from what was read, by activity_id, so it outlives reprocessing (reviews.py applies it)
    audit_log   who did what that cannot be undone (an upload deleted, exemplars approved)
    exemplars   titles with the responsibility kind or ethics topic a member confirmed: that member's own at
                once, every member's once an admin approves them
    audit_cycles, audit_requests, audit_events   the audit year (audit_rows.py; ingest/audit owns the logic)

Times are naive UTC. The schema changes only through migrations (ingest/store/migrations).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import sqlalchemy
from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
                        UniqueConstraint, true)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "MemberRow", "UploadRow", "ActivityRow", "DuplicateDecisionRow", "TokenRow", "ReviewRow", "AuditRow",
           "ExemplarRow", "utcnow", "QUEUED", "PROCESSING", "DONE", "FAILED", "STATES", "State"]

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
    # working (True) or not working (False): a member not working is not eligible for the audit draw
    working: Mapped[bool] = mapped_column(Boolean, server_default=true())  # no Python default: older-revision
    # inserts that name only the columns they know (tests of earlier migrations) stay valid
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Bumped by every write under `lock_member`: duplicates found without the lock are written only if unchanged.
    version: Mapped[int] = mapped_column(Integer, server_default="0")
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
    lease_holder: Mapped[str | None] = mapped_column(String(255), nullable=True)  # "host:pid:start" (leases.holder)
    links_pending: Mapped[bool] = mapped_column(Boolean, server_default=sqlalchemy.false())
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
    # None: entered by hand by the member (source.extractor "manual"), from no upload
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"), index=True,
                                                  nullable=True)
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
    review_state: Mapped[str | None] = mapped_column(String(16), nullable=True)  # the member's word (None: unreviewed)


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
    """A bearer token, kept only as its sha256; refused once past `expires_at` or after `revoked_at`."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # member / admin / portal
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # None: never expires
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # to the minute


class ReviewRow(Base):
    """The member's word on one of their activities, by activity_id (stable across reprocessing): the state,
    the values they set (contract field -> value), why they rejected it, who and when."""

    __tablename__ = "activity_reviews"
    __table_args__ = (UniqueConstraint("member_id", "activity_id", name="uq_activity_reviews_member_activity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    activity_id: Mapped[str] = mapped_column(String(64))
    upload_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # where it was last seen (no FK: kept)
    title: Mapped[str] = mapped_column(Text)  # the activity's title when last seen, to name it if it goes
    state: Mapped[str] = mapped_column(String(16))  # confirmed / edited / rejected
    reason: Mapped[str | None] = mapped_column(String(32), nullable=True)  # a rejection's: not_mine / not_learning
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    by: Mapped[str] = mapped_column(String(160))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditRow(Base):
    """One thing done that cannot be undone, with who did it and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    subject: Mapped[str] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class ExemplarRow(Base):
    """A title and the responsibility (its text: the matcher finds its kind) or the ethics topic a member
    confirmed for it (exactly one of the two)."""

    __tablename__ = "exemplars"
    __table_args__ = (Index("ix_exemplars_member_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    activity_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    responsibility: Mapped[str] = mapped_column(Text, default="")  # "" when a topic
    topic: Mapped[str] = mapped_column(String(64), default="")     # "" when a responsibility
    approved_by: Mapped[str | None] = mapped_column(String(160), nullable=True)  # None: the member's own only
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

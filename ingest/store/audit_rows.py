"""The audit year's tables (the logic is ingest/audit's): cycles drawn, requests made, every change of a request.

    audit_cycles    one draw of a CPD year's sample: rate, seed, how many were eligible and drawn; `number`
                    counts the cycles of one year (a second draw of a year is a new cycle, asked for)
    audit_requests  a member asked for their record of a CPD year: drawn in a cycle, or ad hoc with a reason;
                    its state, due date and, once submitted, the frozen audit pack (a blob, by sha256)
    audit_events    every change of a request's state: from, to, who, when and a note
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow

__all__ = ["AuditCycleRow", "AuditRequestRow", "AuditEventRow"]


class AuditCycleRow(Base):
    """One draw of the sample of a CPD year, with what makes it reproducible (eligible set, rate, seed)."""

    __tablename__ = "audit_cycles"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_audit_cycles_year_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)          # 1 for a year's first draw, 2 for a new cycle...
    rate: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[int] = mapped_column(Integer)         # working members when drawn
    excluded: Mapped[int] = mapped_column(Integer, default=0)  # left out: drawn in the two previous cycles
    size: Mapped[int] = mapped_column(Integer)
    drawn_by: Mapped[str] = mapped_column(String(128))
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditRequestRow(Base):
    """A member asked for their CPD record of a year; where the request is, and what was submitted."""

    __tablename__ = "audit_requests"
    __table_args__ = (Index("ix_audit_requests_state_due", "state", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("audit_cycles.id"), nullable=True, index=True)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(24))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(128))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    pack_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the frozen pack, in the blobs
    pack_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEventRow(Base):
    """One change of a request's state: from, to, who, when, and the note given."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("audit_requests.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_state: Mapped[str] = mapped_column(String(24))
    by: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

"""Audit cycles and requests: the yearly draw, ad-hoc requests, and every change of a request's state.

    draw(session, year, by, rate, seed, exclude_recent, new_cycle, today) -> Drawn
    request_record(session, member, year, reason, by, today) -> AuditRequestRow       an ad-hoc request
    change(session, request_id, to, by, note, at) -> AuditRequestRow                 one allowed change
    mark_overdue(session, today) -> [AuditRequestRow]      requests past their due date, moved to `overdue`
    set_working(session, member, working)                  the member flag the draw reads

The draw is reproducible: the working members sorted by id, the year and the seed decide the sample
(Python's Mersenne Twister seeded with "cpd-audit:YEAR:SEED", whose output the language keeps stable for a
given seed); the seed is stored with the cycle, so anyone can draw it again and get the same members.
Nothing here commits: the caller owns the transaction.
"""
from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..store import AuditCycleRow, AuditEventRow, AuditRequestRow, MemberRow, ensure_member, utcnow
from .dates import due_date, is_overdue
from .states import NEXT, OVERDUE, REQUESTED, STATES, SUBMITTED

__all__ = ["AuditError", "Drawn", "DEFAULT_RATE", "SYSTEM", "sample_size", "draw", "request_record", "change",
           "mark_overdue", "set_working", "history", "get_request", "requests_of", "advance"]

DEFAULT_RATE = 0.03   # the body audits 3% of its working members a year
SYSTEM = "system"     # who moves a request to overdue
_RECENT_CYCLES = 2    # a member drawn in either of the two cycles before may be left out


class AuditError(Exception):
    """What cannot be done, with a stable `code` and a message saying what the person can do instead."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class Drawn:
    """A cycle drawn, and the requests made for the members in its sample."""

    cycle: AuditCycleRow
    members: list[str]
    requests: list[AuditRequestRow]


def sample_size(rate: float, eligible: int) -> int:
    """round-half-up(rate x eligible), at least one when anyone is eligible, at most everyone."""
    if eligible <= 0:
        return 0
    size = int((Decimal(str(rate)) * eligible).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(size, 1), eligible)


def set_working(session: Session, member_id: str, working: bool) -> MemberRow:
    """Mark the member working (eligible for the draw) or not working."""
    member = ensure_member(session, member_id)
    member.working = working
    return member


def draw(session: Session, year: int, by: str, *, rate: float = DEFAULT_RATE, seed: int | None = None,
         exclude_recent: bool = False, new_cycle: bool = False, today: dt.date | None = None) -> Drawn:
    """Draw the sample of CPD year `year` and request each drawn member's record (see the module's docstring)."""
    if not 0 < rate <= 1:
        raise AuditError("bad_rate", f"The rate {rate} is not a share between 0 and 1; give e.g. 0.03 for 3%.")
    if seed is not None and not 0 <= seed < 2**31:
        raise AuditError("bad_seed", f"The seed {seed} is out of range; give a whole number from 0 to 2147483647.")
    drawn_before = session.scalars(select(AuditCycleRow).where(AuditCycleRow.year == year)
                                   .order_by(AuditCycleRow.number)).all()
    if drawn_before and not new_cycle:
        last = drawn_before[-1]
        raise AuditError("already_drawn", f"CPD year {year} was drawn already (cycle {last.number}, seed {last.seed}, "
                         f"{last.size} members, {last.drawn_at:%Y-%m-%d}). Ask for a new cycle explicitly "
                         "(--new-cycle, or \"new_cycle\": true) to draw again.")
    eligible = list(session.scalars(select(MemberRow.id).where(MemberRow.working.is_(True)).order_by(MemberRow.id)))
    recent = _recently_drawn(session, year, len(drawn_before) + 1) if exclude_recent else set()
    pool = [m for m in eligible if m not in recent]
    size = sample_size(rate, len(eligible))
    if eligible and not pool:
        raise AuditError("nobody_left", f"All {len(eligible)} working members were drawn in the two previous cycles, "
                         "so none is left to draw; draw without excluding them.")
    size = min(size, len(pool))
    seed = secrets.randbelow(2**31) if seed is None else seed
    members = sorted(random.Random(f"cpd-audit:{year}:{seed}").sample(pool, size))
    cycle = AuditCycleRow(year=year, number=len(drawn_before) + 1, rate=rate, seed=seed, eligible=len(eligible),
                          excluded=len(eligible) - len(pool), size=size, drawn_by=by, drawn_at=utcnow())
    session.add(cycle)
    session.flush()
    reason = f"Drawn in the audit sample of CPD year {year} (cycle {cycle.number}, seed {seed})."
    requests = [_new_request(session, m, year, reason, by, today, cycle.id) for m in members]
    return Drawn(cycle, members, requests)


def _recently_drawn(session: Session, year: int, number: int) -> set[str]:
    """Members drawn in the two cycles before cycle `number` of `year` (of this year or the years before)."""
    before = session.execute(select(AuditCycleRow.id).where(
        or_(AuditCycleRow.year < year, and_(AuditCycleRow.year == year, AuditCycleRow.number < number)))
        .order_by(AuditCycleRow.year.desc(), AuditCycleRow.number.desc()).limit(_RECENT_CYCLES)).scalars().all()
    if not before:
        return set()
    return set(session.scalars(select(AuditRequestRow.member_id).where(AuditRequestRow.cycle_id.in_(before))))


def request_record(session: Session, member_id: str, year: int, reason: str, by: str,
                   today: dt.date | None = None) -> AuditRequestRow:
    """An ad-hoc request for the member's record of CPD year `year`, with the reason for it."""
    if not reason or not reason.strip():
        raise AuditError("reason_required", "An ad-hoc request needs a reason; say why the record is asked for.")
    if session.get(MemberRow, member_id) is None:
        raise AuditError("no_such_member", f"There is no member '{member_id}'. Check the id: it is the one their "
                         "uploads were made under (cpd-evidence uploads --member ID lists them).")
    return _new_request(session, member_id, year, reason.strip(), by, today, None)


def _new_request(session: Session, member_id: str, year: int, reason: str, by: str, today: dt.date | None,
                 cycle_id: int | None) -> AuditRequestRow:
    now = utcnow()
    day = today or now.date()
    row = AuditRequestRow(member_id=member_id, year=year, cycle_id=cycle_id, reason=reason, state=REQUESTED,
                          requested_on=day, due_on=due_date(day), requested_by=by, created_at=now)
    session.add(row)
    session.flush()
    session.add(AuditEventRow(request_id=row.id, from_state=None, to_state=REQUESTED, by=by, at=now, note=reason))
    return row


def get_request(session: Session, request_id: int) -> AuditRequestRow:
    """The request of that id (`AuditError` "no_such_request" when there is none)."""
    row = session.get(AuditRequestRow, request_id)
    if row is None:
        raise AuditError("no_such_request", f"There is no audit request {request_id}; `cpd-evidence audit list` "
                         "shows the requests and their ids.")
    return row


def change(session: Session, request_id: int, to: str, by: str, note: str | None = None,
           at: dt.datetime | None = None) -> AuditRequestRow:
    """Move the request to state `to`, recording who, when and the note; refused unless `to` follows its state."""
    row = get_request(session, request_id)
    if to not in STATES:
        raise AuditError("no_such_state", f"'{to}' is not a request state; the states are: {', '.join(STATES)}.")
    if to == SUBMITTED and SUBMITTED in NEXT[row.state]:
        raise AuditError("submit_instead", f"Request {request_id} becomes 'submitted' only by submitting the record "
                         "(cpd-evidence audit submit, or POST /audit/requests/ID/submit), which freezes the pack.")
    return advance(session, row, to, by, note, at)


def advance(session: Session, row: AuditRequestRow, to: str, by: str, note: str | None,
            at: dt.datetime | None) -> AuditRequestRow:
    """Move the request to `to` when its state allows (any state, `submitted` included), recording the change.
    `change` is the public door; the pack's `submit` comes in here once the pack is frozen."""
    allowed = NEXT[row.state]
    if to not in allowed:
        then = f"it may go to {' or '.join(allowed)}" if allowed else "it is final"
        raise AuditError("not_allowed", f"Request {row.id} is '{row.state}', which cannot go to '{to}': {then}.")
    session.add(AuditEventRow(request_id=row.id, from_state=row.state, to_state=to, by=by, at=at or utcnow(),
                              note=note))
    row.state = to
    return row


def mark_overdue(session: Session, today: dt.date | None = None) -> list[AuditRequestRow]:
    """Every request still `requested` the day after its due date moves to `overdue` (by "system")."""
    day = today or utcnow().date()
    late = session.scalars(select(AuditRequestRow).where(AuditRequestRow.state == REQUESTED,
                                                         AuditRequestRow.due_on < day)).all()
    for row in late:
        if is_overdue(row.due_on, day):
            change(session, row.id, OVERDUE, SYSTEM, f"Not submitted by the due date {row.due_on.isoformat()}.")
    return list(late)


def history(session: Session, request_id: int) -> list[AuditEventRow]:
    """The request's changes, oldest first."""
    return list(session.scalars(select(AuditEventRow).where(AuditEventRow.request_id == request_id)
                                .order_by(AuditEventRow.id)))


def requests_of(session: Session, *, year: int | None = None, member_id: str | None = None,
                state: str | None = None) -> list[AuditRequestRow]:
    """Requests, oldest first, by year, member or state."""
    query = select(AuditRequestRow).order_by(AuditRequestRow.id)
    if year is not None:
        query = query.where(AuditRequestRow.year == year)
    if member_id is not None:
        query = query.where(AuditRequestRow.member_id == member_id)
    if state is not None:
        query = query.where(AuditRequestRow.state == state)
    return list(session.scalars(query))

"""The same activity read from two of a member's uploads (an employer's transcript and the member's own CPD
record, a statement and a certificate): the one read from the later upload is linked to the first.

    detect(session, member_id, upload_id)       after save_result stored the upload's rows, in its transaction
                                                (ingest.work stores a result, then calls this)
    unlink(session, member_id, activity_id)     the member: "not a duplicate" (remembered across reprocessing)
    link(session, member_id, activity_id, to)   the member: "a duplicate" (of `to`, or of what it was unlinked from)

A link is the row's `duplicate_of` (the activity_id of the first-read activity, always the root of its group,
never itself a duplicate) and `duplicate_reason`, mirrored in the activity JSON as two added optional fields
(absent when not linked). "First" is by upload id, the order the member uploaded the files, so reading the
uploads out of order or again gives the same links. Two rows of one upload are never linked to each other (a
record may list a course twice), and one activity takes at most one duplicate from each other upload.

Alike means all of: titles (rapidfuzz token_sort_ratio, default processor, >= TITLE_MIN), the same status,
the same or adjacent dates (or overlapping date ranges), similar durations where both are known, providers
alike where both are known. Candidates come from blocking on the completion day, never from all pairs.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, select, update
from sqlalchemy.orm import Session, aliased

from .duplicate_rules import DAYS_APART, LONGEST_RANGE_DAYS, Pair, Row, compare, row_of, with_link
from ..store import ActivityRow, DuplicateDecisionRow, lock_member

__all__ = ["DuplicateError", "detect", "unlink", "link", "LINKED_BY_MEMBER"]

LINKED_BY_MEMBER = "linked by the member"
_CHUNK = 500
# The columns and the few JSON fields the rules use (JSON_EXTRACT in SQLite, ->> in PostgreSQL): a big upload's
# rows are read here whole, and the whole activity JSON of 100,000 of them took ~900 MB.
_DATA = ActivityRow.data
_COLUMNS = (ActivityRow.id, ActivityRow.activity_id, ActivityRow.upload_id, ActivityRow.status, ActivityRow.title,
            ActivityRow.completed_on, ActivityRow.cpd_hours, ActivityRow.duplicate_of, ActivityRow.duplicate_reason,
            _DATA["started_on"].as_string().label("started_on"), _DATA["provider"].as_string().label("provider"),
            _DATA["duration_minutes"].as_float().label("duration_minutes"),
            _DATA[("source", "filename")].as_string().label("filename"),
            _DATA[("source", "locator")].as_string().label("locator"),
            _DATA["duplicate_of"].as_string().label("json_duplicate_of"),
            _DATA["duplicate_reason"].as_string().label("json_duplicate_reason"))


class DuplicateError(ValueError):
    """A member's link or unlink that cannot be done; `code` says which case, the message what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# -- detection ---------------------------------------------------------------------------------------------
def detect(session: Session, member_id: str, upload_id: int) -> int:
    """Link the upload's freshly stored activities (and anything their arrival changes); idempotent.
    Returns how many rows got a new link or lost one."""
    lock_member(session, member_id)
    own = _load(session, member_id, ActivityRow.upload_id == upload_id)
    dangling = _load(session, member_id, _dangling(member_id))  # their first-read activity is gone
    for row in dangling:
        row.set_link(None, None)
    pool = {r.id: r for r in (*own, *dangling)}
    for first, last in _windows((*own, *dangling)):   # the upload's own rows are in the pool already
        window = and_(ActivityRow.completed_on.between(first, last), ActivityRow.upload_id != upload_id)
        for row in _load(session, member_id, window):
            pool.setdefault(row.id, row)
    unlinked, manual = _decisions(session, member_id)
    for row in _load_ids(session, member_id, [manual[r.activity_id] for r in own if r.activity_id in manual]):
        pool.setdefault(row.id, row)
    groups = _Groups(pool.values(), unlinked, manual)
    own_ids = {r.activity_id for r in own}
    later_roots = [r for r in pool.values() if r.upload_id > upload_id and r.duplicate_of is None
                   and r.activity_id not in own_ids]
    groups.assign([*own, *dangling], only=None)
    groups.assign(later_roots, only=own_ids)
    changed = [r for r in pool.values() if r.changed]
    _write(session, changed)
    _repoint(session, member_id, {r.activity_id: r.duplicate_of for r in changed if r.duplicate_of}, pool)
    return len(changed)


class _Groups:
    """The rows in play, by completion day, with the links made so far and the member's decisions."""

    def __init__(self, rows: Iterable[Row], unlinked: set[frozenset[str]], manual: dict[str, str]) -> None:
        self.rows = {r.activity_id: r for r in rows}
        self.by_day: dict[dt.date, list[Row]] = defaultdict(list)
        for row in self.rows.values():
            if row.last is not None:
                self.by_day[row.last].append(row)
        self.unlinked, self.manual = unlinked, manual
        self.claimed = {(r.upload_id, r.duplicate_of) for r in self.rows.values() if r.duplicate_of}
        self.followers: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows.values():
            if row.duplicate_of:
                self.followers[row.duplicate_of].append(row)

    def root(self, activity_id: str) -> str:
        """The first-read activity of the activity's group (itself when it is not a duplicate)."""
        row = self.rows.get(activity_id)
        return row.duplicate_of if row is not None and row.duplicate_of else activity_id

    def assign(self, todo: Sequence[Row], only: set[str] | None) -> None:
        """Upload by upload, oldest first: the member's links, then the best-scoring pairs first."""
        for upload_id, rows in groupby(sorted(todo, key=lambda r: (r.upload_id, r.id)), key=lambda r: r.upload_id):
            batch = list(rows)
            for row in batch:
                target = self.manual.get(row.activity_id)
                if target in self.rows and row.duplicate_of is None:
                    self._take(row, self.root(target), LINKED_BY_MEMBER)
            pairs = [p for row in batch if row.duplicate_of is None for p in self._pairs(row, only)]
            for pair in sorted(pairs, key=lambda p: p.order()):
                root = self.root(pair.other.activity_id)
                if pair.row.duplicate_of is None and not self._refused(pair.row, pair.other.activity_id, root):
                    self._take(pair.row, root, pair.reason)

    def _pairs(self, row: Row, only: set[str] | None) -> Iterator[Pair]:
        if row.first is None or row.last is None:
            return
        day = row.first - dt.timedelta(days=DAYS_APART)
        end = row.last + dt.timedelta(days=DAYS_APART + LONGEST_RANGE_DAYS)
        while day <= end:
            for other in self.by_day.get(day, ()):
                if other.upload_id < row.upload_id and (only is None or other.activity_id in only):
                    pair = compare(row, other)
                    if pair is not None:
                        yield pair
            day += dt.timedelta(days=1)

    def _refused(self, row: Row, other_id: str, root: str) -> bool:
        return (root == row.activity_id or (row.upload_id, root) in self.claimed
                or frozenset((row.activity_id, other_id)) in self.unlinked
                or frozenset((row.activity_id, root)) in self.unlinked)

    def _take(self, row: Row, root: str, reason: str) -> None:
        if root == row.activity_id:
            return
        row.set_link(root, reason)
        self.claimed.add((row.upload_id, root))
        moved = self.followers.pop(row.activity_id, [])
        for other in moved:  # its own duplicates follow it to the root
            other.set_link(root, other.reason)
        self.followers[root] += [row, *moved]


def _windows(rows: Iterable[Row]) -> list[tuple[dt.date, dt.date]]:
    """Merged completion-day ranges holding every row a change to `rows` can touch (two hops of matching)."""
    reach = dt.timedelta(days=2 * (DAYS_APART + LONGEST_RANGE_DAYS))
    spans = sorted((r.first - reach, r.last + reach) for r in rows if r.first is not None and r.last is not None)
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


# -- the member's word ------------------------------------------------------------------------------------
def unlink(session: Session, member_id: str, activity_id: str) -> dict[str, Any]:
    """Not a duplicate: the link goes, and is remembered so reading the files again does not bring it back."""
    lock_member(session, member_id)
    row = _one(session, member_id, activity_id)
    if row.duplicate_of is not None:
        _forget(session, member_id, activity_id)
        session.add(DuplicateDecisionRow(member_id=member_id, activity_id=activity_id, other_id=row.duplicate_of,
                                      linked=False))
        row.set_link(None, None)
    _write(session, [row] if row.changed else [])
    return _data(session, row)


def link(session: Session, member_id: str, activity_id: str, target: str | None) -> dict[str, Any]:
    """A duplicate of `target` (default: the activity it was last unlinked from); remembered like an unlink."""
    lock_member(session, member_id)
    row = _one(session, member_id, activity_id)
    target = target or _last_unlinked(session, member_id, activity_id)
    other = _one(session, member_id, target)
    if other.activity_id == row.activity_id or other.upload_id == row.upload_id:
        raise DuplicateError("same_upload", f"Activities {activity_id} and {target} come from the same upload, and "
                             "one record never holds the same activity twice; pick an activity from another upload.")
    root = other.duplicate_of or other.activity_id
    if root == row.activity_id:
        raise DuplicateError("would_loop", f"Activity {target} is itself marked as a duplicate of {activity_id}. "
                             f"Unlink it first (DELETE .../activities/{target}/duplicate), then link this one.")
    _forget(session, member_id, activity_id)
    session.add(DuplicateDecisionRow(member_id=member_id, activity_id=activity_id, other_id=target, linked=True))
    row.set_link(root, LINKED_BY_MEMBER)
    _write(session, [row])
    _repoint(session, member_id, {activity_id: root}, {})
    return _data(session, row)


def _last_unlinked(session: Session, member_id: str, activity_id: str) -> str:
    found = session.scalars(select(DuplicateDecisionRow.other_id).where(
        DuplicateDecisionRow.member_id == member_id, DuplicateDecisionRow.activity_id == activity_id,
        DuplicateDecisionRow.linked.is_(False)).order_by(DuplicateDecisionRow.id.desc())).first()
    if found is None:
        raise DuplicateError("nothing_to_relink", f"Activity {activity_id} was never unlinked, so there is nothing to "
                             'link it back to. Say which activity it repeats: {"duplicate_of": "ACTIVITY_ID"}.')
    return found


def _forget(session: Session, member_id: str, activity_id: str) -> None:
    session.execute(delete(DuplicateDecisionRow).where(DuplicateDecisionRow.member_id == member_id,
                                                    DuplicateDecisionRow.activity_id == activity_id))


def _one(session: Session, member_id: str, activity_id: str) -> Row:
    rows = _load_ids(session, member_id, [activity_id])
    if not rows:
        raise DuplicateError("no_such_activity", f"The member has no activity {activity_id}. Take the id from "
                             f"GET /members/{member_id}/activities.")
    return rows[0]


# -- reading and writing rows -------------------------------------------------------------------------------
def _load(session: Session, member_id: str, where: ColumnElement[bool]) -> list[Row]:
    query = select(*_COLUMNS).where(ActivityRow.member_id == member_id, ActivityRow.upload_id.is_not(None),
                                    where).order_by(ActivityRow.id)  # hand-entered rows (no upload) are not compared
    return [row_of(r) for r in session.execute(query)]


def _load_ids(session: Session, member_id: str, ids: Sequence[str]) -> list[Row]:
    return [row for start in range(0, len(ids), _CHUNK)
            for row in _load(session, member_id, ActivityRow.activity_id.in_(list(ids[start:start + _CHUNK])))]


def _dangling(member_id: str) -> ColumnElement[bool]:
    target = aliased(ActivityRow)
    return and_(ActivityRow.duplicate_of.is_not(None), ~exists().where(
        target.member_id == member_id, target.activity_id == ActivityRow.duplicate_of))


def _decisions(session: Session, member_id: str) -> tuple[set[frozenset[str]], dict[str, str]]:
    unlinked: set[frozenset[str]] = set()
    manual: dict[str, str] = {}
    query = select(DuplicateDecisionRow.activity_id, DuplicateDecisionRow.other_id, DuplicateDecisionRow.linked)
    for decision in session.execute(query.where(DuplicateDecisionRow.member_id == member_id)):
        if decision.linked:
            manual[decision.activity_id] = decision.other_id
        else:
            unlinked.add(frozenset((decision.activity_id, decision.other_id)))
    return unlinked, manual


def _write(session: Session, rows: Iterable[Row]) -> None:
    """The rows' links, in their columns and in their JSON (read here, for these rows only)."""
    by_id = {row.id: row for row in rows}
    ids = list(by_id)
    for start in range(0, len(ids), _CHUNK):
        found = session.execute(select(ActivityRow.id, ActivityRow.data).where(ActivityRow.id.in_(ids[start:start + _CHUNK])))
        for row_id, data in found.all():
            row = by_id[row_id]
            session.execute(update(ActivityRow).where(ActivityRow.id == row_id).values(
                duplicate_of=row.duplicate_of, duplicate_reason=row.reason,
                data=with_link(data, row.duplicate_of, row.reason)).execution_options(synchronize_session=False))


def _data(session: Session, row: Row) -> dict[str, Any]:
    """The activity JSON as stored (the portal's view of it)."""
    data: dict[str, Any] = session.scalars(select(ActivityRow.data).where(ActivityRow.id == row.id)).one()
    return data


def _repoint(session: Session, member_id: str, moved: dict[str, str], seen: dict[int, Row]) -> None:
    """Rows (not loaded here) whose first-read activity has just become a duplicate itself follow it to its root."""
    if not moved:
        return
    ids = list(moved)
    for start in range(0, len(ids), _CHUNK):
        chunk = ActivityRow.duplicate_of.in_(ids[start:start + _CHUNK])
        followers = [r for r in _load(session, member_id, chunk) if r.id not in seen]
        for row in followers:
            row.set_link(moved[row.duplicate_of or ""], row.reason)
        _write(session, followers)

"""The same activity read from two of a member's uploads (an employer's transcript and the member's own CPD
record, a statement and a certificate): the one read from the later upload is linked to the first.

    detect(session, member_id, upload_id)       after save_result stored the upload's rows, in its transaction
    detect_apart(sessions, member_id, upload_id, finish)   the same once the rows are committed (ingest.work's
                                                step after the read): found without the member's lock, written
                                                under it in one short transaction if nobody wrote meanwhile
    unlink(session, member_id, activity_id)     the member: "not a duplicate" (remembered across reprocessing)
    link(session, member_id, activity_id, to)   the member: "a duplicate" (of `to`, or of what it was unlinked from)

A link is the row's `duplicate_of` (the activity_id of the first-read activity, always the root of its group,
never itself a duplicate) and `duplicate_reason`, mirrored in the activity JSON as two added optional fields
(absent when not linked). "First" is by upload id, the order the member uploaded the files, so reading the
uploads out of order or again gives the same links. Two rows of one upload are never linked to each other (a
record may list a course twice), and one activity takes at most one duplicate from each other upload.

Alike means all of: titles (rapidfuzz token_sort_ratio, default processor, >= TITLE_MIN), the same status,
the same or adjacent dates (or overlapping date ranges), similar durations where both are known, providers
alike where both are known. Candidates come from blocking on the completion day and the title's key (its
processed words, sorted): a row meets only the keys of the days in its reach that score TITLE_MIN or more,
found by rapidfuzz over each day's distinct keys at once; each pair of keys is scored once. The work is linear
in the upload's rows plus the member's rows in the dates they touch (20,000 against 20,000: bench/bench_duplicates.py).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, groupby
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, exists, select, update
import numpy
from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session, aliased

from .duplicate_rules import (DAYS_APART, LONGEST_RANGE_DAYS, NUMBER, TITLE_MIN, Pair, Row, compare, row_of,
                              with_link)
from ..store import ActivityRow, DuplicateDecisionRow, MemberRow, SessionFactory, lock_member

__all__ = ["DuplicateError", "detect", "detect_apart", "unlink", "link", "LINKED_BY_MEMBER"]

log = logging.getLogger(__name__)

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


_WRITE_LINK = update(ActivityRow).where(ActivityRow.id == bindparam("row_id")).values(
    duplicate_of=bindparam("link"), duplicate_reason=bindparam("why"),
    data=bindparam("linked", type_=ActivityRow.data.type))


class DuplicateError(ValueError):
    """A member's link or unlink that cannot be done; `code` says which case, the message what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# -- detection ---------------------------------------------------------------------------------------------
def detect(session: Session, member_id: str, upload_id: int) -> int:
    """Link the upload's freshly stored activities (and anything their arrival changes), under the member's
    lock in the caller's transaction; idempotent. Returns how many rows got a new link or lost one."""
    lock_member(session, member_id)
    return _apply(session, member_id, _plan(session, member_id, upload_id))


def detect_apart(sessions: SessionFactory, member_id: str, upload_id: int,
                 finish: Callable[[Session], None] | None = None, tries: int = 3) -> int:
    """`detect`, with the finding done outside the member's lock: the rows are read and compared in a
    session of their own, then the links are written in a short transaction under the lock, only if the
    member's `version` (bumped by every locked write) is still the one seen before reading; else found again,
    and after `tries` the plain way, under the lock. `finish` runs in the writing transaction (the upload
    marked done with its links). Idempotent. Returns how many rows got a new link or lost one."""
    for attempt in range(tries):
        with sessions() as session:
            seen = session.scalar(select(MemberRow.version).where(MemberRow.id == member_id))
            plan = _plan(session, member_id, upload_id)
        with sessions() as session, session.begin():
            if seen is not None and not _lock_unchanged(session, member_id, seen):
                log.info("member %s wrote while upload %s's duplicates were found (try %d); finding them again",
                         member_id, upload_id, attempt + 1)
                continue
            changed = _apply(session, member_id, plan)
            if finish is not None:
                finish(session)
            return changed
    with sessions() as session, session.begin():
        changed = detect(session, member_id, upload_id)
        if finish is not None:
            finish(session)
        return changed


def _lock_unchanged(session: Session, member_id: str, seen: int) -> bool:
    """Take the member's lock (as `lock_member`) only if nobody wrote since `seen`; False otherwise."""
    taken = session.execute(update(MemberRow).where(MemberRow.id == member_id, MemberRow.version == seen).values(
        version=seen + 1).execution_options(synchronize_session=False))
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(slots=True)
class _Plan:
    """What detection found: the rows whose link changes, and every row it looked at."""

    changed: list[Row]
    pool: dict[int, Row]


def _apply(session: Session, member_id: str, plan: _Plan) -> int:
    _write(session, plan.changed)
    _repoint(session, member_id, {r.activity_id: r.duplicate_of for r in plan.changed if r.duplicate_of}, plan.pool)
    return len(plan.changed)


def _plan(session: Session, member_id: str, upload_id: int) -> _Plan:
    """The links the upload's rows (and the rows their arrival touches) should have; reads only."""
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
    return _Plan([r for r in pool.values() if r.changed], pool)


class _Groups:
    """The rows in play, by completion day, with the links made so far and the member's decisions."""

    def __init__(self, rows: Iterable[Row], unlinked: set[frozenset[str]], manual: dict[str, str]) -> None:
        self.rows = {r.activity_id: r for r in rows}
        # Blocking: by completion day, then by title key; a row meets only the keys of the days in its reach
        # whose score passes TITLE_MIN (found by rapidfuzz over the day's distinct keys at once, in C).
        self.by_day: dict[dt.date, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for row in self.rows.values():
            if row.last is not None:
                self.by_day[row.last][row.key].append(row)
        self.day_keys = {day: list(keys) for day, keys in self.by_day.items()}
        self.alike: dict[tuple[str, dt.date], list[tuple[str, float]]] = {}
        self.reach: dict[tuple[dt.date | None, dt.date | None], list[dt.date]] = {}
        self.blocks: dict[dt.date, _Blocks] = {}
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
            self._score([row for row in batch if row.duplicate_of is None])
            pairs = [p for row in batch if row.duplicate_of is None for p in self._pairs(row, only)]
            for pair in sorted(pairs, key=lambda p: p.order()):
                root = self.root(pair.other.activity_id)
                if pair.row.duplicate_of is None and not self._refused(pair.row, pair.other.activity_id, root):
                    self._take(pair.row, root, pair.reason)

    def _pairs(self, row: Row, only: set[str] | None) -> Iterator[Pair]:
        for day in self._reach(row):
            keys = self.by_day[day]
            for key, score in self.alike[(row.key, day)]:
                for other in keys[key]:
                    if other.upload_id < row.upload_id and (only is None or other.activity_id in only):
                        pair = compare(row, other, score)
                        if pair is not None:
                            yield pair

    def _reach(self, row: Row) -> list[dt.date]:
        """The days holding rows that `row` may be alike (rows are found by their completion day)."""
        span = (row.first, row.last)
        days = self.reach.get(span)
        if days is None:
            days = self.reach[span] = [day for day in _reach(row) if day in self.by_day]
        return days

    def _score(self, rows: Sequence[Row]) -> None:
        """For each day in the rows' reach: the day's title keys scoring TITLE_MIN or more against each of the
        rows' keys, with their scores. Blocked by the numbers in the titles (they must agree, `compare`): a
        key with numbers meets only the day's keys whose numbers agree with its own (a few); the keys without
        numbers meet every key of the day, in one rapidfuzz matrix per day (in C). Each pair scored once."""
        wanted: dict[dt.date, set[str]] = defaultdict(set)
        for row in rows:
            for day in self._reach(row):
                if (row.key, day) not in self.alike:
                    wanted[day].add(row.key)
        for day, keys in wanted.items():
            numbered = [key for key in keys if _numbers(key)]
            plain = [key for key in keys if not _numbers(key)]
            blocks = self._blocks(day)
            for key in numbered:
                candidates = blocks.agreeing(_numbers(key))
                self.alike[(key, day)] = [(other, score) for other, score, _ in process.extract(
                    key, candidates, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=TITLE_MIN)]
            if plain:
                choices = self.day_keys[day]
                scores = process.cdist(plain, choices, scorer=fuzz.ratio, processor=None, score_cutoff=TITLE_MIN,
                                       dtype=numpy.float64, workers=-1)
                found: dict[str, list[tuple[str, float]]] = {key: [] for key in plain}
                hits_i, hits_j = scores.nonzero()
                for i, j, score in zip(hits_i.tolist(), hits_j.tolist(), scores[hits_i, hits_j].tolist()):
                    found[plain[i]].append((choices[j], score))
                for key, alike in found.items():
                    self.alike[(key, day)] = alike

    def _blocks(self, day: dt.date) -> _Blocks:
        blocks = self.blocks.get(day)
        if blocks is None:
            blocks = self.blocks[day] = _Blocks(self.day_keys[day])
        return blocks

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


@lru_cache(maxsize=65536)
def _numbers(key: str) -> frozenset[str]:
    """The numbers in a title key: the same as in its title (digits are kept whole by the processing)."""
    return frozenset(NUMBER.findall(key))


class _Blocks:
    """One day's title keys by the numbers in them, to find the keys whose numbers agree with a set of numbers:
    none on one side, or one set within the other (`duplicate_rules._numbers_agree`)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for key in keys:
            self.groups[_numbers(key)].append(key)
        self.holding: dict[str, list[frozenset[str]]] = defaultdict(list)
        for numbers in self.groups:
            for number in numbers:
                self.holding[number].append(numbers)
        self.found: dict[frozenset[str], list[str]] = {}

    def agreeing(self, numbers: frozenset[str]) -> list[str]:
        """The keys whose numbers agree with `numbers` (not empty)."""
        found = self.found.get(numbers)
        if found is not None:
            return found
        sets: set[frozenset[str]] = {frozenset()} | {other for other in self.holding.get(min(numbers), ()) if numbers <= other}
        if len(numbers) <= 8:     # the sets within `numbers`: each of its subsets, looked up
            sets.update(frozenset(part) for size in range(1, len(numbers))
                        for part in combinations(sorted(numbers), size))
        else:
            sets.update(other for other in self.groups if other <= numbers)
        found = self.found[numbers] = [key for numbers_ in sets for key in self.groups.get(numbers_, ())]
        return found


def _reach(row: Row) -> Iterator[dt.date]:
    """The completion days of the rows `row` may be alike (rows are found by their last day)."""
    if row.first is None or row.last is None:
        return
    day = row.first - dt.timedelta(days=DAYS_APART)
    end = row.last + dt.timedelta(days=DAYS_APART + LONGEST_RANGE_DAYS)
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


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
    return [row_of(r) for r in session.connection().execute(query)]  # plain rows: no ORM loading, 3x quicker


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
        params = [{"row_id": row_id, "link": by_id[row_id].duplicate_of, "why": by_id[row_id].reason,
                   "linked": with_link(data, by_id[row_id].duplicate_of, by_id[row_id].reason)}
                  for row_id, data in found.all()]
        if params:  # one statement, many rows (executemany)
            session.connection().execute(_WRITE_LINK, params)


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

"""When two stored activities are the same piece of learning, and the reason given to the member.

Thresholds are named here; ingest/year/duplicates.py finds the candidates (by completion day) and keeps the links.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

__all__ = ["TITLE_MIN", "PROVIDER_MIN", "DAYS_APART", "LONGEST_RANGE_DAYS", "MINUTES_APART", "SHARE_APART", "Row",
           "Pair", "row_of", "with_link", "compare", "title_key", "NUMBER"]

TITLE_MIN = 88.0            # token_sort_ratio: word order and punctuation aside, nearly the same words
PROVIDER_MIN = 80.0         # token_set_ratio: "STEP" and "STEP Worldwide" are one provider
DAYS_APART = 1              # a transcript dates the course, a certificate the day after
LONGEST_RANGE_DAYS = 7      # a longer started..completed range (a programme) is compared by its last day only
MINUTES_APART = 30          # durations alike within 30 minutes ...
SHARE_APART = 0.25          # ... or within a quarter of the longer one
NUMBER = re.compile(r"\d+")


@dataclass(slots=True)
class Row:
    """One stored activity, as the duplicate rules see it: the few fields they use, not the whole JSON."""

    id: int
    activity_id: str
    upload_id: int
    status: str
    title: str
    provider: str | None
    first: dt.date | None       # the first day of the activity (its start where the range is short)
    last: dt.date | None        # the day it was completed
    minutes: float | None
    hours: float | None
    duplicate_of: str | None
    reason: str | None
    filename: str | None        # where it was read: the reason given for a duplicate names it
    locator: str | None
    changed: bool = False       # its link differs from the one stored in its JSON
    key: str = ""               # the title as the title score sees it (`title_key`): the blocking key

    def set_link(self, target: str | None, reason: str | None) -> None:
        """Link to `target` (None: unlink) for `reason`, marking the row changed when that is new."""
        if (target, reason) != (self.duplicate_of, self.reason):
            self.duplicate_of, self.reason, self.changed = target, reason, True


@dataclass(frozen=True, slots=True)
class Pair:
    """Two rows found alike: how alike (`score`), how many days apart, and the reason the member is shown."""

    score: float
    gap: int
    row: Row
    other: Row
    reason: str

    def order(self) -> tuple[float, int, int, str, str]:
        """Best first: the most alike titles, the closest dates, then the first upload (ties stay stable)."""
        return (-self.score, self.gap, self.other.upload_id, self.other.activity_id, self.row.activity_id)


def row_of(record: Any) -> Row:
    """A Row from a database row selected with the columns and JSON fields `duplicates.COLUMNS` names."""
    last: dt.date | None = record.completed_on
    first = last
    if last is not None and record.started_on:
        begun = dt.date.fromisoformat(record.started_on)
        first = begun if dt.timedelta(0) <= last - begun <= dt.timedelta(days=LONGEST_RANGE_DAYS) else last
    minutes = record.duration_minutes
    # A racing write (a remap batch) can leave the JSON's copy of the link behind the columns: rewrite it.
    behind = (record.json_duplicate_of, record.json_duplicate_reason) != (record.duplicate_of, record.duplicate_reason)
    return Row(record.id, record.activity_id, record.upload_id, record.status, record.title, record.provider,
               first, last, float(minutes) if minutes is not None else None, record.cpd_hours,
               record.duplicate_of, record.duplicate_reason, record.filename, record.locator, changed=behind,
               key=title_key(record.title))


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """The title as token_sort_ratio compares it: processed (lower case, punctuation to spaces), its words
    sorted. Two titles score fuzz.ratio(title_key(a), title_key(b)): the same number token_sort_ratio gives, so
    that candidates can be found by key, many at a time, and each distinct pair of keys scored once."""
    return " ".join(sorted(default_process(title).split()))


def with_link(data: dict[str, Any], target: str | None, reason: str | None) -> dict[str, Any]:
    """The activity JSON with the link's two added fields, or without them when not linked."""
    plain = {k: v for k, v in data.items() if k not in ("duplicate_of", "duplicate_reason")}
    return {**plain, "duplicate_of": target, "duplicate_reason": reason} if target is not None else plain


def compare(row: Row, other: Row, score: float | None = None) -> Pair | None:
    """The pair when the two are alike on every count known on both sides, else None. `score`: the titles'
    score when the caller has it already (fuzz.ratio of their keys, at least TITLE_MIN)."""
    if row.status != other.status or row.first is None or row.last is None or other.first is None \
            or other.last is None:
        return None
    gap = max((other.first - row.last).days, (row.first - other.last).days, 0)
    if gap > DAYS_APART:
        return None
    duration = _duration(row, other)
    provider = _provider(row.provider, other.provider)
    if duration is None or provider is None:
        return None
    if not _numbers_agree(row.title, other.title):
        return None
    if score is None:
        score = fuzz.token_sort_ratio(row.title, other.title, processor=default_process, score_cutoff=TITLE_MIN)
    if not score:
        return None
    title = "same title" if row.title == other.title else f"title {score:.0f}% alike"
    parts = [title, _dates(row, other, gap), duration, provider]
    where = f"; first read from '{other.filename}' ({other.locator})" if other.filename is not None else ""
    return Pair(score, gap, row, other, ", ".join(p for p in parts if p) + where)


def _numbers_agree(mine: str, theirs: str) -> bool:
    """'Module 1' and 'Module 2' are two courses however alike the words; 'Refresher' and 'Refresher 2025' may
    be one. The numbers in the titles must agree where both have some."""
    a, b = set(NUMBER.findall(mine)), set(NUMBER.findall(theirs))
    return not a or not b or a <= b or b <= a


def _dates(row: Row, other: Row, gap: int) -> str:
    if row.first == row.last == other.first == other.last:
        return f"same date {row.last}"
    if gap == 1:
        return f"dates a day apart ({_span(other)} and {_span(row)})"
    return f"dates overlap ({_span(other)} and {_span(row)})"


def _span(row: Row) -> str:
    return f"{row.first}" if row.first == row.last else f"{row.first} to {row.last}"


def _duration(row: Row, other: Row) -> str | None:
    """'' when unknown on a side, the words when alike, None when they differ."""
    if row.minutes is not None and other.minutes is not None:
        a, b = other.minutes, row.minutes
    elif row.hours is not None and other.hours is not None:
        a, b = other.hours * 60, row.hours * 60
    else:
        return ""
    if abs(a - b) > max(MINUTES_APART, SHARE_APART * max(a, b)):
        return None
    return f"same hours {a / 60:g}" if abs(a - b) < 1 else f"similar hours ({a / 60:g} and {b / 60:g})"


def _provider(mine: str | None, theirs: str | None) -> str | None:
    if not mine or not theirs:
        return ""
    if default_process(mine) == default_process(theirs):
        return f"same provider {theirs}"
    if fuzz.token_set_ratio(mine, theirs, processor=default_process, score_cutoff=PROVIDER_MIN):
        return f"providers alike ({theirs} and {mine})"
    return None

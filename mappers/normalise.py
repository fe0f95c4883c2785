"""One row or record -> one normalised `Activity`, given which column holds which field.

A `Plan` is decided once per table (or per record shape): the columns of each field, the unit of each
figure column, and the file's date order. `Plan.build` then reads one row with cached parsers, so a
100,000-row transcript costs little more than reading it. Nothing is guessed: a value the row does
not give stays None, and a reading that rests on an assumption carries a warning.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from extractors.model import CellValue, Row

from .activity import NOT_ETHICS, Activity, Credits, Source, ActivityWarning, activity_ids
from .dates import DateReading, read_date
from .durations import WordedDuration, read_duration, read_number, read_worded_duration
from .headers import fold
from .values import StatusReading, read_activity_type, read_prose, read_status, read_text, read_verifiable

__all__ = ["Column", "FileFacts", "Plan", "credit_unit", "is_total_label"]

T = TypeVar("T")

_MEMO_LIMIT = 20_000   # distinct values a memoised reader keeps before it starts again
# The fields whose cells decide an activity's status, dates, time and credits (Plan._reading).
_READING_FIELDS = frozenset({"status", "percent", "started_on", "completed_on", "date", "duration", "credits",
                             "academic_credits"})
_NO_SOURCE = Source("", "", "", "", None, "")
# Plan._reading: status, started_on, completed_on, duration_minutes, cpd_hours, credits, verifiable, warnings,
# confidence.
_Reading = tuple[str, dt.date | None, dt.date | None, int | None, float | None, Credits | None, bool | None,
                 tuple[ActivityWarning, ...], float]

# Totals lines in the languages records come in: Total, Sub-total, Grand total, Totaal, Totale, Totalt, Totaux,
# Summe, Gesamt(summe), Insgesamt, Zwischensumme, Som, Somme, Suma, Summa.
_TOTAL = re.compile(
    r"^\s*(grand\s+|sub[\s-]?|zwischen)?(totals?|totaal|totale|totali|totalt|totaux|totales|summe|summa|suma|somme|som)"
    r"\b|^\s*(sum|gesamt\w*|insgesamt|total des|subtotaal)\b|^\s*total\s+(records|hours|cpd|units|points)",
    re.IGNORECASE,
)
_CREDIT_UNITS = (("cpe", "cpe"), ("point", "points"), ("punkte", "points"), ("unit", "units"),
                 ("credit", "credits"), ("hour", "hours"), ("heure", "hours"), ("stunde", "hours"))


def is_total_label(text: str) -> bool:
    """'Total', 'Sub-total', 'Total CPD hours', 'Grand total': a totals line, never an activity."""
    return bool(_TOTAL.match(text))


def credit_unit(header: str) -> str:
    """The unit a credited-figure column names, lower case, as the record says it ('points', 'units', 'cpe')."""
    words = fold(header)
    for stem, unit in _CREDIT_UNITS:
        if stem in words:
            return unit
    return "hours" if "cpd" in words else words or "credits"


@dataclass(frozen=True, slots=True)
class Column:
    """A place a field is read from: the cell's index in a row (a record's label order)."""

    key: int
    field: str
    header: str
    unit: str | None = None            # durations: hours/minutes/seconds; credits: the record's unit word
    verifiable: bool | None = None     # "Verifiable hours" columns say it of every figure in them


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What holds for every activity of one file."""

    file_sha256: str
    filename: str
    media_type: str
    extractor: str
    layout: str | None
    learner: str | None = None
    dayfirst: bool = True
    order_assumed: bool = True   # no date in the file proves the order and nobody said it


@dataclass(slots=True)
class Plan:
    """How to read the rows of one table (or the records of one shape): the columns of each field.

    Rows are sequences of cells at least as wide as the widest column index; a record is turned
    into such a row by the caller, in the order of its labels.
    """

    columns: list[Column]
    facts: FileFacts
    _by_field: dict[str, list[Column]] = field(default_factory=dict)
    _keys: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _readers: list[Any] = field(default_factory=list)   # the memoised readers below, to bound their memos
    _read_date: Callable[[CellValue], DateReading] = field(init=False)
    _read_duration: Callable[[CellValue, str | None], float | None] = field(init=False)
    _read_number: Callable[[CellValue], float | None] = field(init=False)
    _read_worded: Callable[[CellValue], WordedDuration | None] = field(init=False)
    _read_status: Callable[[CellValue], StatusReading] = field(init=False)
    _text: Callable[[CellValue], str | None] = field(init=False)
    _prose: Callable[[CellValue], str | None] = field(init=False)
    _type: Callable[[CellValue], str | None] = field(init=False)
    _verifiable: Callable[[CellValue], bool | None] = field(init=False)
    _credit: Callable[[float, str], Credits] = field(init=False)
    _first_three: tuple[int, ...] = field(init=False)
    _dated: bool = field(init=False)
    _status_keys: tuple[int, ...] = field(init=False)
    _title_header: str = field(init=False)
    _reading_cells: Callable[[Sequence[CellValue]], tuple[CellValue, ...]] = field(init=False)
    # What rows' status, date, time and credit cells say (`_reading`), by those cells: a table's rows repeat
    # a few statuses, dates and hours in many combinations, each read once.
    _readings: dict[tuple[object, ...], _Reading] = field(default_factory=dict)
    # Rows that look like activities but were left out, each with its warning, as the batches are built.
    left_out: list[ActivityWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        dayfirst = self.facts.dayfirst
        # Readers memoised for the plan's life (one table, read in batches): cells repeat down a column
        # (statuses, providers, dates, hours), so each distinct value is read once.
        self._read_date = _memo(self._readers, lambda value: read_date(value, dayfirst=dayfirst))
        self._read_duration = _memo(self._readers, read_duration)
        self._read_number = _memo(self._readers, read_number)
        self._read_worded = _memo(self._readers, read_worded_duration)
        self._read_status = _memo(self._readers, read_status)
        self._text = _memo(self._readers, read_text)
        self._prose = _memo(self._readers, read_prose)
        self._type = _memo(self._readers, read_activity_type)
        self._verifiable = _memo(self._readers, read_verifiable)
        self._credit = _memo(self._readers, Credits)   # frozen: one per figure and unit serves every row
        for col in self.columns:
            self._by_field.setdefault(col.field, []).append(col)
        self._keys = {name: tuple(c.key for c in cols) for name, cols in self._by_field.items()}
        self._keys["_other"] = tuple(c.key for c in self.columns if c.field not in ("title", "ignore"))
        self._first_three = tuple(c.key for c in self.columns[:3])
        self._dated = any(name in self._by_field for name in ("started_on", "completed_on", "date"))
        self._status_keys = self._keys.get("status", ()) + self._keys.get("percent", ())
        self._title_header = next((c.header for c in self.columns if c.field == "title"), "title")
        keys = tuple(dict.fromkeys(c.key for c in self.columns if c.field in _READING_FIELDS))
        self._reading_cells = (operator.itemgetter(*keys) if len(keys) > 1
                               else (lambda cells: (cells[keys[0]],)) if keys else (lambda cells: ()))

    @property
    def width(self) -> int:
        return 1 + max((c.key for c in self.columns), default=-1)

    def build(self, rows: Sequence[Row]) -> list[Activity]:
        """The activities of these rows (a batch of a table's), in order; rows that are not activities
        (blank, totals, notes, a lone title) are left out. Column by column, with memoised readers."""
        for reader in self._readers:     # bounded: a column of 100,000 distinct references would fill them
            if reader.cache_info().currsize > _MEMO_LIMIT:
                reader.cache_clear()
        text = self._text
        kept = []
        for r, title in zip(rows, self._column(rows, "title", text)):
            if self._is_activity(r.cells, title, text):
                kept.append((r, title))
            elif title is not None and not _has_letters(title) and self._has_more(r.cells, title, text):
                self.left_out.append(ActivityWarning("title_without_letters", "title", (
                    f"{r.location.locator}: '{title}' in column '{self._title_header}' is not a title (it has no "
                    "letters), so the row was left out. If it records an activity, write its title there and "
                    "upload the file again.")))
        rows = [r for r, _ in kept]
        titles = [title for _, title in kept]
        providers = self._column(rows, "provider", text)
        references = self._column(rows, "reference", read_text)   # references seldom repeat: not memoised
        descriptions = self._column(rows, "description", self._prose)
        reflections = self._column(rows, "reflection", self._prose)
        types = self._column(rows, "activity_type", self._type)
        flags = self._column(rows, "verifiable", self._verifiable)
        learners = self._learners(rows, text)
        sha, name, media_type, extractor, layout = (self.facts.file_sha256, self.facts.filename,
                                                    self.facts.media_type, self.facts.extractor, self.facts.layout)
        readings = self._readings
        if len(readings) > _MEMO_LIMIT:
            readings.clear()
        # A row's reading is kept by the cells it comes from and their types (1, 1.0 and True are equal as
        # keys, not as cells).
        reading_cells = self._reading_cells
        identify = activity_ids(sha)
        out = []
        for row, title, provider, reference, description, reflection, kind, flag, learner in zip(
                rows, titles, providers, references, descriptions, reflections, types, flags, learners):
            cells = row.cells
            values = reading_cells(cells)
            key = (values, tuple(map(type, values)))
            reading = readings.get(key)
            if reading is None:
                reading = readings[key] = self._reading(cells)
            status, started, done, minutes, hours, credits, credited, warnings, confidence = reading
            locator = row.location.locator
            out.append(Activity(
                identify(locator), title or "", Source(sha, name, media_type, extractor, layout, locator),
                provider, kind, status, started, done, minutes, hours, credits, credited if flag is None else flag,
                description, reflection, learner, reference, (), NOT_ETHICS, confidence, list(warnings)))
        return out

    def _reading(self, cells: Sequence[CellValue]) -> _Reading:
        """What a row's status, date, time and credit cells say, read as the fields of a bare activity:
        (status, started_on, completed_on, duration_minutes, cpd_hours, credits, the credits' verifiable,
        warnings, confidence). Every row whose cells there are the same (and of the same types) shares it."""
        act = Activity("", "", _NO_SOURCE)
        self._status(cells, act, self._text)
        self._read_dates(cells, act)
        self._read_time(cells, act, self._text)
        return (act.status, act.started_on, act.completed_on, act.duration_minutes, act.cpd_hours, act.credits,
                act.verifiable, tuple(act.warnings), _confidence(act))

    def _column(self, rows: Sequence[Row], name: str, reader: Callable[[CellValue], T | None]) -> list[T | None]:
        """Each row's first value of the field that the reader makes something of."""
        keys = self._keys.get(name, ())
        if not keys:
            return [None] * len(rows)
        if len(keys) == 1:
            k = keys[0]
            return [reader(r.cells[k]) for r in rows]
        return [_first(r.cells, keys, reader) for r in rows]

    def _is_activity(self, cells: Sequence[CellValue], title: str | None, text: Callable[[CellValue], str | None]) -> bool:
        if title is None or not _title_ok(title):
            return False
        if len(self.columns) >= 3:
            first, second, third = self._first_three
            a = cells[first]
            if a is not None and a != "" and a == cells[second] == cells[third]:   # a merged full-width note row
                return False
        return self._has_more(cells, title, text)   # something besides the title: a lone title is a note

    def _has_more(self, cells: Sequence[CellValue], title: str, text: Callable[[CellValue], str | None]) -> bool:
        for key in self._keys["_other"]:
            value = text(cells[key])
            if value is not None and value != title:
                return True
        return False

    # -- text fields ---------------------------------------------------------------------------
    def _learners(self, rows: Sequence[Row], text: Callable[[CellValue], str | None]) -> list[str | None]:
        names = self._column(rows, "learner", text)
        if "learner_first" in self._keys or "learner_last" in self._keys:
            firsts, lasts = self._column(rows, "learner_first", text), self._column(rows, "learner_last", text)
            names = [n or " ".join(p for p in (f, l) if p) or None for n, f, l in zip(names, firsts, lasts)]
        emails = self._column(rows, "email", text)
        fallback = self.facts.learner
        return [n or e or fallback for n, e in zip(names, emails)]

    # -- status, dates, time -------------------------------------------------------------------
    def _status(self, cells: Sequence[CellValue], act: Activity, text: Callable[[CellValue], str | None]) -> None:
        best = None
        unknown: str | None = None
        for key in self._status_keys:
            reading = self._read_status(cells[key])
            if reading.status is None:
                unknown = unknown or text(cells[key])
            elif best is None or reading.strength > best.strength:
                best = reading
        if best is not None and best.status is not None:
            act.status = best.status
        elif unknown is not None:
            act.warnings.append(ActivityWarning("unknown_status", "status",
                                        f"Status '{unknown}' is not one we know; the activity is listed as completed."))

    def _date(self, cells: Sequence[CellValue], name: str, act: Activity) -> DateReading | None:
        for col in self._by_field.get(name, ()):
            value = cells[col.key]
            if value is None or value == "":
                continue
            reading = self._read_date(value)
            if reading.problem is not None or (reading.assumed is not None and self.facts.order_assumed):
                self._date_warnings(reading, name, col, act)
            if reading.value is not None:
                return reading
        return None

    def _date_warnings(self, reading: DateReading, name: str, col: Column, act: Activity) -> None:
        where = f"column '{col.header}'"
        if reading.problem is not None:
            act.warnings.append(ActivityWarning(reading.problem, name, _DATE_PROBLEMS.get(
                reading.problem, _DATE_PROBLEMS["unparseable_date"]).format(where=where, value=reading.original)))
        elif reading.assumed is not None and self.facts.order_assumed and reading.value is not None:
            order = "day-first" if reading.assumed == "dayfirst" else "month-first"
            other = "--monthfirst" if reading.assumed == "dayfirst" else "--dayfirst"
            act.warnings.append(ActivityWarning("date_order_assumed", name, (
                f"{where}: '{reading.original}' was read {order} as {reading.value.isoformat()}; nothing in the "
                f"file proves the order. If the record uses the other order, extract it again with {other}.")))

    def _read_dates(self, cells: Sequence[CellValue], act: Activity) -> None:
        if not self._dated:
            return
        started = self._date(cells, "started_on", act)
        done = self._date(cells, "completed_on", act) or self._date(cells, "date", act)
        if started is not None:
            act.started_on = started.start or started.value
        elif done is not None and done.start is not None:
            act.started_on = done.start
        if done is not None and act.status == "completed":
            act.completed_on = done.value
        if act.started_on and act.completed_on and act.started_on > act.completed_on:
            act.warnings.append(ActivityWarning("start_after_completion", "started_on", (
                f"The start {act.started_on.isoformat()} is after the completion {act.completed_on.isoformat()}; "
                "check the dates in the record.")))

    def _read_time(self, cells: Sequence[CellValue], act: Activity, text: Callable[[CellValue], str | None]) -> None:
        for col in self._by_field.get("duration", ()):
            value = cells[col.key]
            minutes = self._read_duration(value, col.unit)
            if minutes is not None:
                act.duration_minutes = round(minutes)
                break
            worded = self._read_worded(value)    # "half a day", "2 days", "une journée": a day's length assumed
            if worded is not None:
                act.duration_minutes = round(worded.minutes)
                if worded.assumption is not None:
                    act.warnings.append(ActivityWarning("duration_assumed", "duration_minutes", (
                        f"Column '{col.header}': {worded.assumption}. If the activity took another length of "
                        "time, correct the hours.")))
                break
            found = text(value)
            if found is not None:
                act.warnings.append(ActivityWarning("unparseable_duration", "duration_minutes",
                                            f"Column '{col.header}': '{found}' is not a length of time we can read."))
        credits = self._credits(cells)
        if credits is not None:
            act.credits, verifiable = credits
            act.cpd_hours = act.credits.value
            if act.verifiable is None:
                act.verifiable = verifiable
        else:
            if act.duration_minutes is not None and act.status == "completed":
                act.cpd_hours = round(act.duration_minutes / 60, 2)
            academic = self._credits(cells, "academic_credits")
            if academic is not None:
                act.credits = academic[0]

    def _credits(self, cells: Sequence[CellValue], name: str = "credits") -> tuple[Credits, bool | None] | None:
        """The first positive figure of the `name` columns (a zero where there is nothing else)."""
        found: tuple[Credits, bool | None] | None = None
        for col in self._by_field.get(name, ()):
            value = self._read_number(cells[col.key])
            if value is None or value < 0:
                continue
            reading = (self._credit(value, col.unit or "hours"), col.verifiable)
            if value > 0:
                return reading
            found = found or reading
        return found


def _memo(readers: list[Any], reader: Callable[..., T]) -> Callable[..., T]:
    memoised = lru_cache(maxsize=None)(reader)
    readers.append(memoised)
    return memoised


def _first(cells: Sequence[CellValue], keys: tuple[int, ...], reader: Callable[[CellValue], T | None]) -> T | None:
    for key in keys:
        value = reader(cells[key])
        if value is not None:
            return value
    return None


@lru_cache(maxsize=4096)
def _title_ok(title: str) -> bool:
    """A title has letters and is not a totals line."""
    return _has_letters(title) and not is_total_label(title)


def _has_letters(title: str) -> bool:
    return any(ch.isalpha() for ch in title)


_DATE_PROBLEMS = {
    "month_only": "{where}: '{value}' names a month, not a day; the date is left empty.",
    "not_a_real_date": "{where}: '{value}' is not a real date; it is left empty.",
    "unparseable_date": "{where}: '{value}' is not a date we can read; it is left empty.",
}


def _confidence(act: Activity) -> float:
    """How sure we are of the row as a whole: full marks for a dated, timed, clean row."""
    score = 1.0
    if act.status == "completed" and act.completed_on is None:
        score -= 0.2
    if act.duration_minutes is None and act.cpd_hours is None:
        score -= 0.1
    if act.warnings:
        score -= 0.1 * len(act.warnings)
    return 1.0 if score == 1.0 else round(max(score, 0.1), 2)

"""One row or record -> one normalised `Activity`, given which column holds which field.

A `Plan` is decided once per table (or per record shape): the columns of each field, the unit of each
figure column, and the file's date order. `Plan.build` then reads one row with cached parsers, so a
100,000-row transcript costs little more than reading it. Nothing is guessed: a value the row does
not give stays None, and a reading that rests on an assumption carries a warning.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from extractors.model import CellValue, Location

from .activity import Activity, Credits, Source, Warning, activity_id
from .dates import DateReading, read_date
from .durations import read_duration, read_number
from .headers import fold
from .values import read_activity_type, read_status, read_text, read_verifiable

__all__ = ["Column", "FileFacts", "Plan", "credit_unit", "is_total_label"]

Getter = Callable[[int | str], CellValue]

_TOTAL = re.compile(
    r"^\s*(grand\s+)?(sub[\s-]?)?totals?\b|^\s*(sum|summe|gesamt|total des|totaux|totales)\b|"
    r"^\s*total\s+(records|hours|cpd|units|points)", re.IGNORECASE,
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
    """A place a field is read from: a row index or a record label."""

    key: int | str
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
    columns: dict[str, list[Column]]
    facts: FileFacts
    warnings: list[Warning] = field(default_factory=list)

    def build(self, get: Getter, location: Location) -> Activity | None:
        """The activity of one row, or None when the row is not an activity (blank, total, note)."""
        title = self._first_text(get, "title")
        if title is None or not _looks_like_title(title) or is_total_label(title):
            return None
        if self._is_note_row(get, title) or not self._has_substance(get, title):
            return None
        locator = location.locator
        facts = self.facts
        act = Activity(
            activity_id=activity_id(facts.file_sha256, locator),
            title=title,
            source=Source(facts.file_sha256, facts.filename, facts.media_type, facts.extractor,
                          facts.layout, locator),
            provider=self._first_text(get, "provider"),
            activity_type=self._first(get, "activity_type", read_activity_type),
            verifiable=self._first(get, "verifiable", read_verifiable),
            description=self._first_text(get, "description"),
            reflection=self._first_text(get, "reflection"),
            reference=self._first_text(get, "reference"),
            learner=self._learner(get),
        )
        self._read_status(get, act)
        self._read_dates(get, act)
        self._read_time(get, act)
        act.confidence = _confidence(act)
        return act

    # -- text fields ---------------------------------------------------------------------------
    def _first_text(self, get: Getter, name: str) -> str | None:
        for col in self.columns.get(name, ()):
            text = read_text(get(col.key))
            if text is not None:
                return text
        return None

    def _first(self, get: Getter, name: str, reader: Callable[[CellValue], object]) -> object:
        for col in self.columns.get(name, ()):
            value = reader(get(col.key))
            if value is not None:
                return value
        return None

    def _learner(self, get: Getter) -> str | None:
        name = self._first_text(get, "learner")
        if name is None:
            parts = [self._first_text(get, "learner_first"), self._first_text(get, "learner_last")]
            name = " ".join(p for p in parts if p) or None
        return name or self._first_text(get, "email") or self.facts.learner

    def _is_note_row(self, get: Getter, title: str) -> bool:
        """A merged full-width note: the same text in every column of the row."""
        keys = [c.key for cols in self.columns.values() for c in cols]
        same = sum(1 for k in keys if read_text(get(k)) == title)
        return len(keys) >= 3 and same >= 3

    def _has_substance(self, get: Getter, title: str) -> bool:
        """Something besides the title: a date, a figure, a status, a provider... A lone title is a note."""
        for name, cols in self.columns.items():
            if name in ("title", "ignore"):
                continue
            for col in cols:
                text = read_text(get(col.key))
                if text is not None and text != title:
                    return True
        return False

    # -- status, dates, time -------------------------------------------------------------------
    def _read_status(self, get: Getter, act: Activity) -> None:
        best = None
        seen_text: str | None = None
        for name in ("status", "percent"):
            for col in self.columns.get(name, ()):
                value = get(col.key)
                reading = read_status(value)
                if reading.status is None:
                    seen_text = seen_text or read_text(value)
                elif best is None or reading.strength > best.strength:
                    best = reading
        if best is not None and best.status is not None:
            act.status = best.status
        elif seen_text is not None:
            act.warnings.append(Warning("unknown_status", "status",
                                        f"Status '{seen_text}' is not one we know; the activity is listed as completed."))

    def _date(self, get: Getter, name: str, act: Activity) -> DateReading | None:
        for col in self.columns.get(name, ()):
            value = get(col.key)
            if value is None or value == "":
                continue
            reading = read_date(value, dayfirst=self.facts.dayfirst)
            self._date_warnings(reading, name, col, act)
            if reading.value is not None:
                return reading
        return None

    def _date_warnings(self, reading: DateReading, name: str, col: Column, act: Activity) -> None:
        where = f"column '{col.header}'"
        if reading.problem is not None:
            act.warnings.append(Warning(reading.problem, name, _DATE_PROBLEMS.get(
                reading.problem, "{where}: '{value}' is not a date we can read; it is left empty.").format(
                    where=where, value=reading.original)))
        elif reading.assumed is not None and self.facts.order_assumed and reading.value is not None:
            order = "day-first" if reading.assumed == "dayfirst" else "month-first"
            other = "--monthfirst" if reading.assumed == "dayfirst" else "--dayfirst"
            act.warnings.append(Warning("date_order_assumed", name, (
                f"{where}: '{reading.original}' was read {order} as {reading.value.isoformat()}; nothing in the "
                f"file proves the order. If the record uses the other order, extract it again with {other}.")))

    def _read_dates(self, get: Getter, act: Activity) -> None:
        started = self._date(get, "started_on", act)
        done = self._date(get, "completed_on", act) or self._date(get, "date", act)
        if started is not None:
            act.started_on = started.start or started.value
        elif done is not None and done.start is not None:
            act.started_on = done.start
        if done is not None and act.status == "completed":
            act.completed_on = done.value
        if act.started_on and act.completed_on and act.started_on > act.completed_on:
            act.warnings.append(Warning("start_after_completion", "started_on", (
                f"The start {act.started_on.isoformat()} is after the completion {act.completed_on.isoformat()}; "
                "check the dates in the record.")))

    def _read_time(self, get: Getter, act: Activity) -> None:
        for col in self.columns.get("duration", ()):
            minutes = read_duration(get(col.key), col.unit)
            if minutes is not None:
                act.duration_minutes = round(minutes)
                break
            text = read_text(get(col.key))
            if text is not None:
                act.warnings.append(Warning("unparseable_duration", "duration_minutes",
                                            f"Column '{col.header}': '{text}' is not a length of time we can read."))
        credits = self._credits(get)
        if credits is not None:
            act.credits, verifiable = credits
            act.cpd_hours = act.credits.value
            if act.verifiable is None:
                act.verifiable = verifiable
        elif act.duration_minutes is not None and act.status == "completed":
            act.cpd_hours = round(act.duration_minutes / 60, 2)

    def _credits(self, get: Getter) -> tuple[Credits, bool | None] | None:
        found: tuple[Credits, bool | None] | None = None
        for col in self.columns.get("credits", ()):
            value = read_number(get(col.key))
            if value is None or value < 0:
                continue
            reading = (Credits(value, col.unit or "hours"), col.verifiable)
            if value > 0:
                return reading
            found = found or reading
        return found


_DATE_PROBLEMS = {
    "month_only": "{where}: '{value}' names a month, not a day; the date is left empty.",
    "not_a_real_date": "{where}: '{value}' is not a real date; it is left empty.",
    "unparseable_date": "{where}: '{value}' is not a date we can read; it is left empty.",
}


def _looks_like_title(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _confidence(act: Activity) -> float:
    """How sure we are of the row as a whole: full marks for a dated, timed, clean row."""
    score = 1.0
    if act.status == "completed" and act.completed_on is None:
        score -= 0.2
    if act.duration_minutes is None and act.cpd_hours is None:
        score -= 0.1
    score -= 0.1 * len(act.warnings)
    return round(max(score, 0.1), 2)


def columns_by_field(columns: Sequence[Column]) -> dict[str, list[Column]]:
    out: dict[str, list[Column]] = {}
    for col in columns:
        out.setdefault(col.field, []).append(col)
    return out


"""A form's answers -> one record per activity, the fields named and typed, ready for a `Plan`.

The answers of one table (or one labelled block) may hold several activities: a new one begins where a
label comes again after a title (a PDF's tables stitched together, a Word table holding every activity).
An answer is taken by what its label asks, checked against what it holds: a "When?" that holds "three
hours" is a duration; an answer under a label nobody knows is kept only when it is plainly a date or a
length of time. A group of answers is an activity when it names what was done and says when, how long,
or what was learned; a plan ("Development need", "Planned action", "Target date") says none of that.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.model import CellValue, Location, RawRecord

from ..activity import ActivityWarning
from ..dates import read_date
from ..durations import duration_unit, read_duration, read_number, read_worded_duration
from ..headers import fold
from ..learner import learner_from_lines
from ..normalise import Column, credit_unit
from ..values import read_prose, read_text
from .labels import IGNORE, PLAN
from .pairs import Pair

__all__ = ["FormRecord", "split_activities", "form_record", "learner_named"]

DATE_FIELDS = ("started_on", "completed_on", "date")
FIELD_ORDER = ("title", "provider", "activity_type", "status", "started_on", "completed_on", "date", "duration",
               "credits", "verifiable", "description", "reflection", "learner", "learner_first", "learner_last",
               "email", "reference")
PROSE_FIELDS = frozenset({"description", "reflection"})
MAX_DATE_TEXT = 40          # a date answer is short; longer text that holds a date is a sentence
SMALL_HOURS = 12            # a bare figure under "How long?" up to this many is hours
SMALLEST_MINUTES = 15       # a bare whole figure from this many up is minutes


@dataclass(frozen=True, slots=True)
class FormRecord:
    """One activity read from a form: its record (fields named as the columns), how to read it, and what
    a person should know about the reading."""

    record: RawRecord
    columns: tuple[Column, ...]
    warnings: tuple[ActivityWarning, ...] = ()


def split_activities(pairs: Sequence[Pair]) -> list[list[Pair]]:
    """The answers grouped by activity: a label seen again after a title starts the next one."""
    groups: list[list[Pair]] = []
    labels: set[str] = set()
    titled = False
    for pair in pairs:
        key = fold(pair.label)
        if groups and titled and (key in labels or pair.field == "title"):
            groups.append([])
            labels, titled = set(), False
        if not groups:
            groups.append([])
        groups[-1].append(pair)
        labels.add(key)
        titled = titled or pair.field == "title"
    return groups


def form_record(pairs: Sequence[Pair], location: Location, evidence: str) -> FormRecord | None:
    """The activity these answers record, or None when they record none (a plan, a details box)."""
    by_field: dict[str, list[Pair]] = {}
    for pair in pairs:
        field = _field(pair)
        if field is not None and field not in (PLAN, IGNORE):
            by_field.setdefault(field, []).append(pair)
    if "title" not in by_field and "description" in by_field:
        by_field["title"] = [by_field["description"].pop(0)]   # "Description of what you did" names it
        if not by_field["description"]:
            del by_field["description"]
    title = next((t for t in (read_text(p.value) for p in by_field.get("title", ())) if t and _has_letters(t)), None)
    if title is None or not _did_something(by_field):
        return None
    columns: list[Column] = []
    cells: dict[str, CellValue] = {}
    warnings: list[ActivityWarning] = []
    for field in FIELD_ORDER:
        found = by_field.get(field)
        if found:
            column, cell = _column(len(columns), field, found, warnings)
            columns.append(column)
            cells[field] = cell
    return FormRecord(RawRecord(location, cells, evidence), tuple(columns), tuple(warnings))


def learner_named(pairs: Sequence[Pair]) -> str | None:
    """The name a form's details give its member ("Name: ...", or a person's name under a label we do not
    know: "Naam", "Teilnehmer"), if any."""
    named = next((t for t in (read_text(p.value) for p in pairs if p.field == "learner") if t), None)
    return named or learner_from_lines(f"{p.label}: {t}" for p in pairs if p.field is None
                                       and (t := read_text(p.value)) is not None)


def _field(pair: Pair) -> str | None:
    """The label's field, checked against the answer: dates and durations are known by their content."""
    value = pair.value
    if pair.field in DATE_FIELDS and not _is_date(value) and _minutes(value) is not None:
        return "duration"
    if pair.field == "duration" and _minutes(value) is None and _is_date(value):
        return "date"
    if pair.field == "status" and _is_date(value):
        return "completed_on"     # "Completed: 18/03/2025"
    if pair.field is None:
        if _is_date(value):
            return "date"
        if _minutes(value) is not None:
            return "duration"
    return pair.field


def _did_something(by_field: dict[str, list[Pair]]) -> bool:
    """It says when, how long, for what credit, or what was learned: done, not planned."""
    dated = any(_is_date(p.value) for name in DATE_FIELDS for p in by_field.get(name, ()))
    timed = any(_minutes(p.value) is not None or read_number(p.value) is not None
                for name in ("duration", "credits") for p in by_field.get(name, ()))
    learned = any(read_text(p.value) for p in by_field.get("reflection", ()))
    return dated or timed or learned


def _column(index: int, field: str, found: Sequence[Pair], warnings: list[ActivityWarning]) -> tuple[Column, CellValue]:
    first = found[0]
    if field in PROSE_FIELDS:
        texts = [t for t in (read_prose(p.value) for p in found) if t]
        return Column(index, field, first.label), "\n".join(texts) or None
    if field in DATE_FIELDS:
        dated = next((p for p in found if _is_date(p.value)), first)
        return Column(index, field, dated.label), dated.value
    if field == "duration":
        return _duration(index, first, warnings)
    if field == "credits":
        return Column(index, field, first.label, credit_unit(first.label)), first.value
    return Column(index, field, first.label), first.value


def _duration(index: int, pair: Pair, warnings: list[ActivityWarning]) -> tuple[Column, CellValue]:
    """Minutes, read whatever way the answer gives them; an assumption (a day's length, a bare figure's
    unit) becomes a warning naming it."""
    unit = duration_unit(pair.label)
    minutes = read_duration(pair.value, unit)
    if minutes is not None:
        return Column(index, "duration", pair.label, "minutes"), minutes
    worded = read_worded_duration(pair.value)
    if worded is not None:
        if worded.assumption is not None:
            warnings.append(ActivityWarning("duration_assumed", "duration_minutes", (
                f"'{pair.label}': {worded.assumption}. If the activity took another length of time, correct "
                "the hours.")))
        return Column(index, "duration", pair.label, "minutes"), worded.minutes
    number = read_number(pair.value)
    guessed = _bare_unit(number)
    if number is None or guessed is None:
        return Column(index, "duration", pair.label, unit), pair.value   # the Plan says it cannot read it
    warnings.append(ActivityWarning("duration_unit_assumed", "duration_minutes", (
        f"'{pair.label}': '{read_text(pair.value)}' gives no unit; it was read as {guessed}. Check the duration, "
        "or write the unit beside the figure and upload the file again.")))
    return Column(index, "duration", pair.label, guessed), number


def _bare_unit(number: float | None) -> str | None:
    if number is None or number <= 0:
        return None
    if number <= SMALL_HOURS:
        return "hours"
    return "minutes" if number.is_integer() and number >= SMALLEST_MINUTES else None


def _is_date(value: CellValue) -> bool:
    if isinstance(value, str):
        return (len(value) <= MAX_DATE_TEXT and any(ch.isdigit() for ch in value)
                and read_date(value).value is not None)
    return value is not None and not isinstance(value, (bool, int, float)) and read_date(value).value is not None


def _minutes(value: CellValue) -> float | None:
    if not isinstance(value, str):
        return None
    minutes = read_duration(value, None)
    if minutes is not None:
        return minutes
    worded = read_worded_duration(value)
    return worded.minutes if worded is not None else None


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)
